package dev.webhookhub.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs a build command in a checkout (build types {@code command} and {@code nix}): its output, line by line, goes to
 * the build log; a non-zero exit, the build timeout or a cancel fails the build with a clear message.
 */
public final class BuildCommand {

    private BuildCommand() {
    }

    public static void run(List<String> command, Path dir, Map<String, String> env, Consumer<String> log,
            Duration timeout, BuildCancel cancel) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        AtomicBoolean timedOut = new AtomicBoolean();
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (p.isAlive()) {
                timedOut.set(true);
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        });
        if (cancel != null) {
            cancel.onCancel(() -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            });
        }
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                log.accept(line);
            }
        }
        int exit;
        try {
            exit = p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (timedOut.get()) {
            throw new IOException("timed out after " + timeout.toSeconds() + " s (HUB_BUILD_TIMEOUT)");
        }
        if (cancel != null && cancel.cancelled()) {
            throw new IOException("cancelled");
        }
        if (exit != 0) {
            throw new IOException("the build command exited with " + exit);
        }
    }
}
