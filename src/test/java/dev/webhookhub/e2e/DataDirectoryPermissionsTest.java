package dev.webhookhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookhub.outbound.OutboundPublisher;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.Receiver;
import dev.webhookhub.support.Signatures;
import dev.webhookhub.support.TestHub;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory (store, journal, backups, token, key) is readable by its owner only. */
class DataDirectoryPermissionsTest {

    @TempDir
    Path tmp;

    @Test
    void theDataDirectoryIsOwnerOnlyAndSoIsEveryFileInIt() throws Exception {
        Path dataDir = tmp.resolve("data");
        // a directory and a file left world-readable by an earlier version
        Files.createDirectories(dataDir.resolve("outbound-backup"));
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dataDir.resolve("outbound-backup"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dataDir.resolve("outbound-backup").resolve("old.json"), "{}");
        Files.setPosixFilePermissions(dataDir.resolve("outbound-backup").resolve("old.json"),
                PosixFilePermissions.fromString("rw-r--r--"));

        try (Receiver refusing = Receiver.always(400);
                TestHub hub = TestHub.start(dataDir, Map.of("hub.outbound.poll-interval-ms", "50"))) {
            assertThat(mode(dataDir)).isEqualTo("rwx------");
            assertOwnerOnly(dataDir);
            assertThat(Files.list(dataDir).map(p -> p.getFileName().toString()))
                    .contains("hub.mv.db", "secret.key", "inbox-journal"); // the admin token comes from TestHub

            // files made while the hub runs: journal segments, a backup of a failed outbound message
            String service = hub.createService("perms", "main");
            String secret = hub.issueSecret(service, "github");
            byte[] push = GitWebhookFlowContract.githubBranchPush("main", "abc1234" + "0".repeat(33));
            HttpResponse<String> r = hub.postWebhook("github", service, push, Map.of("Content-Type",
                    "application/json", "X-GitHub-Event", "push", "X-GitHub-Delivery", UUID.randomUUID().toString(),
                    "X-Hub-Signature-256", Signatures.githubSha256(secret, push)));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            r = hub.admin("POST", "/api/outbound/endpoints", "{\"url\":\"" + refusing.url()
                    + "\",\"event_types\":[\"demo.perms\"]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            String id = hub.context().getRegistry().lookupByNameAndType("outboundPublisher", OutboundPublisher.class)
                    .publish("demo.perms", "{}").get(0);
            Path backup = dataDir.resolve("outbound-backup").resolve(id + ".json");
            Await.until(() -> Files.exists(backup), Duration.ofSeconds(10), "backup file written");
            assertThat(mode(backup)).isEqualTo("rw-------");
            assertOwnerOnly(dataDir);
        }
    }

    @Test
    void filesTheHubDidNotMakeInASharedDataDirectoryKeepTheirPermissions() throws Exception {
        Path dataDir = tmp.resolve("shared");
        Files.createDirectories(dataDir.resolve("project"));
        Files.setPosixFilePermissions(dataDir.resolve("project"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dataDir.resolve("notes.txt"), "mine");
        Files.setPosixFilePermissions(dataDir.resolve("notes.txt"), PosixFilePermissions.fromString("rw-r--r--"));
        try (TestHub hub = TestHub.start(dataDir)) {
            assertThat(mode(dataDir)).isEqualTo("rwx------");
            assertThat(mode(dataDir.resolve("hub.mv.db"))).isEqualTo("rw-------");
            assertThat(mode(dataDir.resolve("notes.txt"))).isEqualTo("rw-r--r--");
            assertThat(mode(dataDir.resolve("project"))).isEqualTo("rwxr-xr-x");
        }
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static void assertOwnerOnly(Path dir) throws Exception {
        List<String> loose = new ArrayList<>();
        Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path d,
                    java.nio.file.attribute.BasicFileAttributes attrs) throws java.io.IOException {
                check(d);
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes attrs)
                    throws java.io.IOException {
                check(f);
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path f, java.io.IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE; // a journal segment dropped by the checkpoint
            }

            private void check(Path p) throws java.io.IOException {
                try {
                    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                    if (perms.stream().anyMatch(x -> x.name().startsWith("GROUP_") || x.name().startsWith("OTHERS_"))) {
                        loose.add(dir.relativize(p) + " " + PosixFilePermissions.toString(perms));
                    }
                } catch (java.nio.file.NoSuchFileException gone) {
                    // dropped meanwhile
                }
            }
        });
        assertThat(loose).as("entries with group or other permissions").isEmpty();
    }
}
