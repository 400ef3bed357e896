package dev.webhookhub.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusNormaliserTest {

    @Test
    void jenkinsResultsAndPhases() {
        assertThat(StatusNormaliser.jenkinsResult("SUCCESS", false)).isEqualTo("success");
        assertThat(StatusNormaliser.jenkinsResult("FAILURE", false)).isEqualTo("failure");
        assertThat(StatusNormaliser.jenkinsResult("ABORTED", false)).isEqualTo("aborted");
        assertThat(StatusNormaliser.jenkinsResult("NOT_BUILT", false)).isEqualTo("aborted");
        assertThat(StatusNormaliser.jenkinsResult("UNSTABLE", false)).isEqualTo("unstable");
        assertThat(StatusNormaliser.jenkinsResult(null, false)).isEqualTo("running");
        assertThat(StatusNormaliser.jenkinsResult("SUCCESS", true)).isEqualTo("running");
        assertThat(StatusNormaliser.jenkinsResult("WEIRD", false)).isEqualTo("unknown");
        assertThat(StatusNormaliser.jenkinsPhase("QUEUED", null)).isEqualTo("queued");
        assertThat(StatusNormaliser.jenkinsPhase("STARTED", null)).isEqualTo("running");
        assertThat(StatusNormaliser.jenkinsPhase("COMPLETED", "FAILURE")).isEqualTo("failure");
        assertThat(StatusNormaliser.jenkinsPhase("FINALIZED", "SUCCESS")).isEqualTo("success");
        assertThat(StatusNormaliser.jenkinsPhase("COMPLETED", null)).isEqualTo("unknown");
        assertThat(StatusNormaliser.jenkinsPhase(null, "SUCCESS")).isEqualTo("success");
    }

    @Test
    void githubGitlabAzureAndFoundries() {
        assertThat(StatusNormaliser.github("completed", "success")).isEqualTo("success");
        assertThat(StatusNormaliser.github("completed", "timed_out")).isEqualTo("failure");
        assertThat(StatusNormaliser.github("completed", "cancelled")).isEqualTo("aborted");
        assertThat(StatusNormaliser.github("in_progress", null)).isEqualTo("running");
        assertThat(StatusNormaliser.github("queued", null)).isEqualTo("queued");
        assertThat(StatusNormaliser.gitlab("created")).isEqualTo("queued");
        assertThat(StatusNormaliser.gitlab("running")).isEqualTo("running");
        assertThat(StatusNormaliser.gitlab("failed")).isEqualTo("failure");
        assertThat(StatusNormaliser.gitlab("canceled")).isEqualTo("aborted");
        assertThat(StatusNormaliser.azureDevOps("succeeded", null)).isEqualTo("success");
        assertThat(StatusNormaliser.azureDevOps("completed", "partiallySucceeded")).isEqualTo("unstable");
        assertThat(StatusNormaliser.azureDevOps("completed", "failed")).isEqualTo("failure");
        assertThat(StatusNormaliser.azureDevOps("inProgress", null)).isEqualTo("running");
        assertThat(StatusNormaliser.foundries("PASSED")).isEqualTo("success");
        assertThat(StatusNormaliser.foundries("PROMOTED")).isEqualTo("success");
        assertThat(StatusNormaliser.foundries("FAILED")).isEqualTo("failure");
        assertThat(StatusNormaliser.foundries("RUNNING_WITH_FAILURES")).isEqualTo("running");
        assertThat(StatusNormaliser.foundries("QUEUED")).isEqualTo("queued");
        assertThat(StatusNormaliser.foundries(null)).isEqualTo("unknown");
    }

    @Test
    void phasesAreRanked() {
        assertThat(PipelineStatus.rank("queued")).isLessThan(PipelineStatus.rank("running"));
        assertThat(PipelineStatus.rank("running")).isLessThan(PipelineStatus.rank("success"));
        assertThat(PipelineStatus.ALL).allMatch(PipelineStatus::isValid);
    }
}
