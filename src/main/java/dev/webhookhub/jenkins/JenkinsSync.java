package dev.webhookhub.jenkins;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.pipelines.JsonFields;
import dev.webhookhub.pipelines.PipelineRunStore;
import dev.webhookhub.pipelines.RunReport;
import dev.webhookhub.pipelines.UpsertOutcome;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass over Jenkins: reads every job's latest builds with a ranged {@code tree=} query (no {@code depth}),
 * descends into folders (Folder, OrganizationFolder, multibranch projects) up to a depth limit, and upserts each
 * build as a run. The poller and {@code POST /api/jenkins/sync-now} share it; a lock keeps two passes from running
 * at once, and a deadline bounds a pass however slow Jenkins is. The outcome of the last pass feeds the health check.
 */
public final class JenkinsSync {

    /** Per job: the 20 latest builds, with the fields a run needs, their causes (who) and Git revision. */
    static final String TREE = "jobs[name,url,builds[number,result,building,timestamp,duration,url,"
            + "actions[causes[userName,userId],lastBuiltRevision[SHA1,branch[name]]]]{0,20}]";

    private static final Logger LOG = LoggerFactory.getLogger(JenkinsSync.class);

    /** The state of the last finished pass, for the health check and the API. */
    public record LastSync(Instant at, boolean ok, String message) {
    }

    private final String baseUrl;
    private final JenkinsClient client;
    private final PipelineRunStore runs;
    private final int folderDepth;
    private final Duration syncTimeout;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile LastSync last;

    /** {@code baseUrl} empty or null: Jenkins is not configured and nothing is synced. */
    public JenkinsSync(String baseUrl, JenkinsClient client, PipelineRunStore runs, int folderDepth,
            Duration syncTimeout) {
        this.baseUrl = baseUrl == null || baseUrl.isBlank() ? null
                : baseUrl.trim().endsWith("/") ? baseUrl.trim() : baseUrl.trim() + "/";
        this.client = client;
        this.runs = runs;
        this.folderDepth = folderDepth;
        this.syncTimeout = syncTimeout;
    }

    public boolean configured() {
        return baseUrl != null;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Optional<LastSync> last() {
        return Optional.ofNullable(last);
    }

    /** A pass unless one is running already (the poller's call: a busy tick is skipped, not queued). */
    public Optional<SyncResult> syncIfIdle() {
        if (!lock.tryLock()) {
            LOG.debug("Jenkins sync already running; this tick is skipped");
            return Optional.empty();
        }
        try {
            return Optional.of(pass());
        } finally {
            lock.unlock();
        }
    }

    /** A pass, waiting up to {@code wait} for one that is running to finish; empty if it does not in time. */
    public Optional<SyncResult> syncWaiting(Duration wait) throws InterruptedException {
        if (!lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            return Optional.empty();
        }
        try {
            return Optional.of(pass());
        } finally {
            lock.unlock();
        }
    }

    private SyncResult pass() {
        if (baseUrl == null) {
            throw new IllegalStateException("JENKINS_URL is not configured");
        }
        long start = System.nanoTime();
        Instant deadline = Instant.now().plus(syncTimeout);
        int[] counts = new int[4];
        try {
            walk(baseUrl, "", 0, deadline, counts);
        } catch (JenkinsUnavailableException e) {
            boolean wasOk = last == null || last.ok();
            last = new LastSync(Instant.now(), false, e.getMessage());
            if (wasOk) {
                LOG.warn("Jenkins sync failed, will retry on the next tick: {}", e.getMessage());
            } else {
                LOG.debug("Jenkins sync failed again: {}", e.getMessage());
            }
            throw e;
        }
        SyncResult result = new SyncResult(counts[0], counts[1], counts[2], counts[3],
                (System.nanoTime() - start) / 1_000_000);
        if (last != null && !last.ok()) {
            LOG.info("Jenkins sync works again ({} jobs)", result.jobs());
        }
        last = new LastSync(Instant.now(), true, "synced " + result.jobs() + " jobs");
        if (result.newRuns() + result.updated() > 0) {
            LOG.info("Jenkins sync: {} new, {} updated, {} unchanged runs in {} ms", result.newRuns(),
                    result.updated(), result.unchanged(), result.durationMs());
        }
        return result;
    }

    private void walk(String containerUrl, String prefix, int depth, Instant deadline, int[] counts) {
        JsonNode root = client.getJson(containerUrl + "api/json?tree="
                + URLEncoder.encode(TREE, StandardCharsets.UTF_8), deadline);
        JsonNode jobs = root.get("jobs");
        if (jobs == null || !jobs.isArray()) {
            if (depth == 0) {
                throw new JenkinsUnavailableException("Jenkins' answer has no jobs list; is JENKINS_URL the root "
                        + "of a Jenkins?", null);
            }
            return;
        }
        for (JsonNode job : jobs) {
            String name = JsonFields.text(job, "name");
            if (name == null) {
                continue;
            }
            String fullName = prefix + name;
            if (isFolder(JsonFields.text(job, "_class"))) {
                if (depth < folderDepth) {
                    walk(containerUrl + "job/" + pathSegment(name) + "/", fullName + "/", depth + 1, deadline,
                            counts);
                }
                continue;
            }
            counts[3]++;
            for (JsonNode build : job.path("builds")) {
                Optional<RunReport> run = JenkinsBuilds.toRun(fullName, build);
                if (run.isPresent()) {
                    UpsertOutcome outcome = runs.upsert(run.get());
                    counts[outcome.kind().ordinal()]++;
                }
            }
        }
    }

    static boolean isFolder(String jenkinsClass) {
        return jenkinsClass != null && (jenkinsClass.endsWith(".Folder") || jenkinsClass.endsWith("OrganizationFolder")
                || jenkinsClass.endsWith("MultiBranchProject"));
    }

    private static String pathSegment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
