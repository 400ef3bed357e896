package dev.webhookhub.ui;

import static dev.webhookhub.support.TestHub.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.support.DockerStandIn;
import dev.webhookhub.support.GitRepos;
import dev.webhookhub.support.Signatures;
import dev.webhookhub.support.HeadlessChromium;
import dev.webhookhub.support.TestHub;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Services page against a hub whose deploys are on (DOCKER_HOST at the stand-in Docker daemon): a signed push
 * goes to running while the page is open; the page shows its phases, image and build log without a reload.
 */
class DashboardDeployBrowserTest {

    static final String REGISTRY = "registry.example.test:5000";

    @TempDir
    static Path dir;
    static DockerStandIn docker;
    static TestHub hub;
    static HeadlessChromium browser;
    static ChromeDriver driver;
    static WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(HeadlessChromium.installed(), "needs Debian's chromium and chromium-driver");
        docker = DockerStandIn.start();
        Map<String, String> m = new HashMap<>();
        m.put("hub.docker.host", docker.host());
        m.put("hub.docker.registry-url", REGISTRY);
        m.put("hub.docker.registry-user", "deployer");
        m.put("hub.docker.registry-password", "registry-secret-1");
        m.put("hub.deploy.health-timeout", "3s");
        m.put("hub.deploy.health-interval", "100ms");
        m.put("hub.deploy.poll-interval-ms", "100");
        hub = TestHub.start(dir.resolve("hub"), m);
        browser = HeadlessChromium.start(dir.resolve("chromium-profile"));
        driver = browser.driver();
        wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        wait.ignoring(StaleElementReferenceException.class);
        Files.createDirectories(DashboardBrowserTest.SHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (hub != null) {
            hub.close();
        }
        if (docker != null) {
            docker.close();
        }
    }

    static By testId(String id) {
        return By.cssSelector("[data-testid='" + id + "']");
    }

    @Test
    void aPushGoesToRunningAndThePageShowsItsPhasesImageAndBuildLog() throws Exception {
        GitRepos repo = GitRepos.withDockerfile(dir.resolve("shop"));
        HttpResponse<String> r = hub.admin("POST", "/api/containers/services", "{\"name\":\"shop\",\"git_repository\":\""
                + repo.url() + "\",\"git_branch\":\"main\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String id = json(r).get("id").asText();
        String secret = hub.issueSecret(id, "github");

        driver.navigate().to(hub.url("/ui/"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(hub.token());
        driver.findElement(By.id("token")).submit();
        wait.until(d -> "live".equals(d.findElement(By.id("live")).getAttribute("data-state")));
        driver.navigate().to(hub.url("/ui/#/services/" + id));
        wait.until(d -> d.findElement(testId("deployments")).getText().contains("No deployments yet"));
        wait.until(d -> "live".equals(d.findElement(By.id("live")).getAttribute("data-state")));

        String sha = repo.head();
        ObjectNode p = (ObjectNode) TestHub.MAPPER.readTree(Files.readAllBytes(
                TestHub.samples().resolve("github/push.json")));
        p.put("ref", "refs/heads/main");
        p.put("after", sha);
        p.put("deleted", false);
        p.put("created", false);
        ObjectNode head = p.putObject("head_commit");
        head.put("id", sha);
        head.put("message", "Ship it");
        head.putObject("author").put("name", "Octo Cat").put("email", "octo@example.test");
        byte[] body = TestHub.MAPPER.writeValueAsBytes(p);
        Map<String, String> h = new HashMap<>();
        h.put("Content-Type", "application/json");
        h.put("X-GitHub-Event", "push");
        h.put("X-GitHub-Delivery", UUID.randomUUID().toString());
        h.put("X-Hub-Signature-256", Signatures.githubSha256(secret, body));
        assertThat(hub.postWebhook("github", id, body, h).statusCode()).isEqualTo(202);

        // the live stream's build_* and deployment_* events bring the deployment to running without a reload
        wait.until(d -> d.findElement(testId("deployments")).getText().contains("running"));
        String image = REGISTRY + "/shop:" + sha.substring(0, 12);
        String text = driver.findElement(testId("deployments")).getText();
        assertThat(text).contains(sha.substring(0, 7)).contains(image).contains("Ship it");
        assertThat(driver.findElement(testId("timeline")).getText()).contains("Created").contains("Build")
                .contains("Deploy").contains("Finished").doesNotContain("in progress");

        driver.findElement(testId("build-log-open")).click();
        wait.until(d -> d.findElement(testId("build-log-state")).getText().equals("Deployment running."));
        assertThat(driver.findElement(testId("build-log")).getText()).contains("Step 1/2");
        File f = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), DashboardBrowserTest.SHOTS.resolve("service-deployment-running.png"),
                StandardCopyOption.REPLACE_EXISTING);
        assertThat(driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList())
                .as("console errors").isEmpty();
    }
}
