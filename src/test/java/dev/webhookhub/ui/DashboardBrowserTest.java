package dev.webhookhub.ui;

import static dev.webhookhub.support.TestHub.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.FakeJenkins;
import dev.webhookhub.support.Receiver;
import dev.webhookhub.support.HeadlessChromium;
import dev.webhookhub.support.TestHub;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's headless Chromium driven by Debian's chromedriver (nothing downloaded).
 * Skipped when /usr/bin/chromium or /usr/bin/chromedriver is missing; .ci/run installs both.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

    static final Path SHOTS = TestHub.projectDir().resolve("target/screenshots");

    @TempDir
    static Path dir;
    static TestHub hub;
    static FakeJenkins jenkins;
    static Receiver receiver;
    static HeadlessChromium browser;
    static ChromeDriver driver;
    static WebDriverWait wait;
    static String serviceId;
    static String secret;
    static String endpointId;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(HeadlessChromium.installed(),
                "needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver)");
        jenkins = new FakeJenkins();
        receiver = new Receiver(n -> Receiver.Answer.of(n == 0 ? 503 : 200));
        Map<String, String> s = new HashMap<>();
        s.put("hub.jenkins.url", jenkins.url());
        s.put("hub.jenkins.user", "hub-bot");
        s.put("hub.jenkins.api-token", "11aa22bb");
        s.put("hub.jenkins.poll-interval-seconds", "1");
        s.put("hub.outbound.retry-schedule", "0s,200ms,200ms");
        s.put("hub.outbound.retry-jitter", "0");
        s.put("hub.outbound.poll-interval-ms", "100");
        s.put("hub.ui.max-streams", "3");
        hub = TestHub.start(dir.resolve("hub"), s);
        JsonNode ep = json(hub.admin("POST", "/api/outbound/endpoints", "{\"url\":\"" + receiver.url()
                + "\",\"event_types\":[\"build.completed\"],\"description\":\"browser test\"}"));
        endpointId = ep.get("id").asText();

        browser = HeadlessChromium.start(dir.resolve("chromium-profile"));
        driver = browser.driver();
        wait = new WebDriverWait(driver, Duration.ofSeconds(10));
        // views re-render on live events: an element found a moment ago may have been replaced
        wait.ignoring(StaleElementReferenceException.class);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (hub != null) {
            hub.close();
        }
        if (jenkins != null) {
            jenkins.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    // ---- helpers

    static WebElement visible(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Finds and clicks in one step, again when a live re-render replaced the element in between. */
    static void click(By by) {
        wait.until(d -> {
            d.findElement(by).click();
            return true;
        });
    }

    static By testId(String id) {
        return By.cssSelector("[data-testid='" + id + "']");
    }

    static void open(String hash) {
        driver.navigate().to(hub.url("/ui/#/" + hash));
        visible(By.cssSelector("#view h1"));
    }

    static void screenshot(String name) throws IOException {
        File f = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Marks the loaded document; the mark survives only as long as the page is not reloaded. */
    static void markDocument() {
        ((JavascriptExecutor) driver).executeScript("window.__notReloaded = true;");
    }

    static void assertNotReloaded() {
        assertThat(((JavascriptExecutor) driver).executeScript("return window.__notReloaded === true;"))
                .as("the page was updated without a reload").isEqualTo(true);
    }

    /** Console entries at level SEVERE (JavaScript errors, failed loads) since the last call. */
    static List<LogEntry> severeConsole() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
    }

    static void assertNoConsoleErrors(String page) {
        assertThat(severeConsole()).as("console errors on " + page).isEmpty();
    }

    static void assertNoErrorMessage() {
        assertThat(driver.findElements(By.cssSelector("#view .message.error"))).as("API errors shown")
                .allSatisfy(e -> assertThat(e.getText()).isEmpty());
    }

    static void waitLive() {
        wait.until(d -> "live".equals(d.findElement(By.id("live")).getAttribute("data-state")));
    }

    // ---- tests

    @Test
    @Order(1)
    void signInWithAWrongThenTheRightToken() throws Exception {
        driver.navigate().to(hub.url("/"));
        assertThat(driver.getCurrentUrl()).endsWith("/ui/");
        WebElement token = visible(By.id("token"));
        assertThat(driver.findElement(By.cssSelector("label[for='token']")).getText()).isEqualTo("Admin token");
        token.sendKeys("not-the-admin-token");
        driver.findElement(By.cssSelector("#signin-form button[type='submit']")).click();
        WebElement error = visible(By.id("signin-error"));
        wait.until(d -> !error.getText().isEmpty());
        assertThat(error.getText()).contains("Sign-in failed").contains("the admin token is not valid")
                .contains("401");
        screenshot("sign-in-refused");
        // the refused request is the only console entry: Chromium logs the 401 load itself
        assertThat(severeConsole()).allSatisfy(e -> assertThat(e.getMessage()).contains("401"));
        assertThat(((JavascriptExecutor) driver).executeScript("return sessionStorage.length")).isEqualTo(0L);

        token.clear();
        token.sendKeys(hub.token());
        token.submit();
        visible(By.cssSelector("#nav a[data-page='runs']"));
        waitLive();
        assertThat(driver.findElement(By.id("signin")).isDisplayed()).isFalse();
        assertThat(driver.getCurrentUrl()).doesNotContain(hub.token());
        assertNoConsoleErrors("pipeline runs");
    }

    @Test
    @Order(2)
    void createAServiceAndCopyItsGitHubWebhookUrlAndSecretShownOnce() throws Exception {
        open("services");
        WebElement name = visible(By.cssSelector("input[name='name']"));
        name.sendKeys("shop");
        driver.findElement(By.cssSelector("input[name='git_repository']")).sendKeys("https://github.com/acme/shop");
        driver.findElement(By.xpath("//button[normalize-space()='Create service']")).click();
        wait.until(d -> d.getCurrentUrl().matches(".*#/services/[^/]+$"));
        serviceId = driver.getCurrentUrl().replaceAll(".*#/services/", "");
        visible(By.xpath("//h1[normalize-space()='shop']"));

        new Select(driver.findElement(By.cssSelector("select[name='provider']"))).selectByValue("github");
        driver.findElement(testId("show-webhook")).click();
        String url = visible(testId("webhook-url")).getAttribute("value");
        secret = visible(testId("webhook-secret")).getAttribute("value");
        assertThat(url).isEqualTo("http://localhost:" + hub.port() + "/api/containers/webhooks/github/" + serviceId);
        assertThat(secret).hasSizeGreaterThanOrEqualTo(32);
        driver.findElement(testId("webhook-url-copy")).click();
        wait.until(d -> d.findElements(By.cssSelector(".copy-status")).get(0).getText().equals("Copied"));
        driver.findElement(testId("webhook-secret-copy")).click();
        wait.until(d -> d.findElements(By.cssSelector(".copy-status")).get(1).getText().equals("Copied"));
        assertThat(driver.findElement(By.tagName("body")).getText()).contains("will not show it again")
                .contains("Payload URL");
        screenshot("service-webhook");

        driver.navigate().refresh();
        visible(By.xpath("//h1[normalize-space()='shop']"));
        driver.findElement(testId("show-webhook")).click();
        visible(testId("secret-hidden"));
        assertThat(driver.findElements(testId("webhook-secret"))).isEmpty();
        assertThat(driver.getPageSource()).doesNotContain(secret);
        assertThat(visible(testId("webhook-url")).getAttribute("value")).isEqualTo(url);

        // rotation shows a new secret once; the old one keeps verifying for the grace period
        driver.findElement(testId("rotate-secret")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        String rotated = visible(testId("webhook-secret")).getAttribute("value");
        assertThat(rotated).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(secret);
        assertThat(driver.findElement(testId("webhook-result")).getText()).contains("previous secret keeps verifying");
        secret = rotated;
        assertNoConsoleErrors("services");
    }

    @Test
    @Order(3)
    void aSignedPushAppearsAsADeploymentAndInTheDeliveriesWithoutAReload() throws Exception {
        open("services/" + serviceId);
        visible(testId("deployments"));
        waitLive();
        markDocument();
        byte[] body = DashboardHttpTest.push("c0ffee0001");
        assertThat(hub.postWebhook("github", serviceId, body, DashboardHttpTest.headers(secret, body))
                .statusCode()).isEqualTo(202);
        wait.until(d -> d.findElement(testId("deployments")).getText().contains("c0ffee0"));
        assertThat(driver.findElement(testId("deployments")).getText()).contains("pending").contains("Ann")
                .contains("Fix the dashboard");
        assertNotReloaded();
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView()",
                driver.findElement(By.id("dep-title")));
        screenshot("service-deployments");

        open("deliveries?service=" + serviceId);
        wait.until(d -> d.findElements(testId("view-delivery")).size() == 1);
        assertThat(new Select(driver.findElement(testId("delivery-service"))).getFirstSelectedOption().getText())
                .isEqualTo("shop");
        waitLive();
        markDocument();
        byte[] second = DashboardHttpTest.push("c0ffee0002");
        assertThat(hub.postWebhook("github", serviceId, second, DashboardHttpTest.headers(secret, second))
                .statusCode()).isEqualTo(202);
        wait.until(d -> d.findElements(testId("view-delivery")).size() == 2);
        assertNotReloaded();
        assertThat(driver.findElement(testId("deliveries-table")).getText()).contains("processed").contains("push")
                .contains("valid");
        click(testId("view-delivery"));
        WebElement payload = visible(testId("delivery-payload"));
        assertThat(payload.getText()).contains("\"after\": \"c0ffee0002\"").contains("\n  \"ref\"");
        String detail = driver.findElement(testId("delivery-detail")).getText();
        // header names as the sender spelt them (HTTP/1.1); the value redacted
        assertThat(detail).containsIgnoringCase("x-hub-signature-256 [redacted]");
        screenshot("deliveries");
        // a processed delivery can be replayed from the log: a new delivery
        click(testId("replay-delivery"));
        wait.until(d -> !d.findElements(By.cssSelector("#view p.message")).get(1).getText().isEmpty());
        assertThat(driver.findElements(By.cssSelector("#view p.message")).get(1).getText())
                .startsWith("Replay accepted");
        wait.until(d -> d.findElements(testId("view-delivery")).size() == 3);
        assertNoConsoleErrors("deliveries");
    }

    @Test
    @Order(4)
    void aJenkinsBuildAppearsInPipelineRunsWithinOnePollInterval() throws Exception {
        open("runs");
        waitLive();
        markDocument();
        jenkins.job("", "ui-deploy", FakeJenkins.sampleBuilds(jenkins.jobUrl("", "ui-deploy")));
        // poll interval 1 s; a few more for the poll itself and the announcement interval on a busy machine
        new WebDriverWait(driver, Duration.ofSeconds(8)).until(d -> d.findElement(testId("runs-table")).getText()
                .contains("ui-deploy"));
        assertNotReloaded();
        String runs = driver.findElement(testId("runs-table")).getText();
        assertThat(runs).contains("jenkins").contains("success").contains("failure").contains("admin");
        driver.findElement(testId("sync-now")).click();
        wait.until(d -> d.findElement(By.cssSelector("#view .message.ok")).getText().startsWith("Jenkins synced"));
        assertThat(driver.findElement(By.cssSelector("#view .message.ok")).getText()).contains("unchanged");
        screenshot("pipeline-runs");
        assertNoConsoleErrors("pipeline runs");
    }

    @Test
    @Order(5)
    void anOutboundMessagesAttempts() throws Exception {
        open("outbound");
        wait.until(d -> d.findElement(testId("endpoints-table")).getText().contains(receiver.url()));
        // a new endpoint from the form: its secret is shown once; then it is disabled
        String otherUrl = receiver.url() + "/other";
        // the API shows an endpoint's URL with its last path segment masked (CredentialMask)
        String shownUrl = receiver.url() + "/****";
        driver.findElement(By.cssSelector("input[name='url']")).sendKeys(otherUrl);
        WebElement types = driver.findElement(By.cssSelector("input[name='event_types']"));
        types.clear();
        types.sendKeys("ui.test");
        driver.findElement(By.xpath("//button[normalize-space()='Create endpoint']")).click();
        assertThat(visible(testId("outbound-secret")).getAttribute("value")).startsWith("whsec_");
        wait.until(d -> d.findElement(testId("endpoints-table")).getText().contains(shownUrl));
        click(By.xpath("//tr[.//a[normalize-space()='" + shownUrl + "']]//button[normalize-space()="
                + "'Disable']"));
        wait.until(d -> d.findElement(By.xpath("//tr[.//a[normalize-space()='" + shownUrl + "']]")).getText()
                .contains("disabled"));
        assertThat(driver.findElements(testId("outbound-secret"))).isEmpty();
        assertThat(driver.findElement(testId("endpoints-table")).getText()).contains("build.completed")
                .contains("enabled");
        screenshot("outbound-endpoints");
        driver.findElement(By.linkText(receiver.url())).click();
        // the receiver refused its first request (503): that message was retried and has two attempts
        wait.until(d -> {
            d.findElement(By.xpath("//button[normalize-space()='Refresh']")).click();
            // (two requests arriving together may both be the receiver's first: then two messages have two)
            return !d.findElements(By.xpath("//td[@data-label='Attempts' and normalize-space()='2']")).isEmpty();
        });
        // the list re-renders on refreshes and events
        click(By.xpath("//td[@data-label='Attempts' and normalize-space()='2']/.."
                + "//button[@data-testid='view-message']"));
        wait.until(d -> {
            WebElement attempts = d.findElement(testId("attempts-table"));
            return attempts.findElements(By.cssSelector("tbody tr")).size() == 2
                    && attempts.getText().contains("503") && attempts.getText().contains("200")
                    && d.findElement(testId("message-detail")).getText().contains("delivered");
        });
        assertThat(driver.findElement(testId("message-detail")).getText()).contains("build.completed")
                .contains("\"status\": ");
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView()",
                driver.findElement(testId("attempts-table")));
        screenshot("outbound-attempts");

        ((JavascriptExecutor) driver).executeScript(
                "const i = document.querySelector(\"input[name='since']\"); i.value = '2020-01-01T00:00';");
        driver.findElement(By.xpath("//button[normalize-space()='Recover']")).click();
        wait.until(d -> d.findElement(By.cssSelector("#view .message.ok")).getText()
                .equals("0 failed message(s) queued again."));

        int before = receiver.requests().size();
        // the view re-renders on live events: find the button again if it was replaced under the click
        wait.until(d -> {
            d.findElement(testId("redeliver")).click();
            return true;
        });
        wait.until(d -> d.findElement(By.cssSelector("#view .message.ok")).getText()
                .contains("queued for a new round"));
        wait.until(d -> receiver.requests().size() > before);
        // look at the table first, then refresh: a table read right after the click is the one the click replaces
        new WebDriverWait(driver, Duration.ofSeconds(20)).ignoring(StaleElementReferenceException.class).until(d -> {
            if (d.findElement(testId("attempts-table")).findElements(By.cssSelector("tbody tr")).size() == 3) {
                return true;
            }
            d.findElement(By.xpath("//button[normalize-space()='Refresh']")).click();
            return false;
        });
        assertNoConsoleErrors("outbound");
    }

    @Test
    @Order(6)
    void notificationsAndHealthPagesShowTheirData() throws Exception {
        open("notifications");
        visible(testId("notifications-table"));
        new Select(driver.findElement(By.cssSelector("select[name='notification_type']"))).selectByValue("email");
        driver.findElement(By.cssSelector("textarea[name='recipients']")).sendKeys("team@example.test");
        driver.findElement(By.cssSelector("input[name='event_triggers'][value='build_failed']")).click();
        new Select(driver.findElement(By.cssSelector("select[name='service_id']"))).selectByVisibleText(
                "Service shop");
        driver.findElement(By.xpath("//button[normalize-space()='Create setting']")).click();
        wait.until(d -> d.findElement(testId("notifications-table")).getText().contains("team@example.test"));
        assertThat(driver.findElement(testId("notifications-table")).getText()).contains("build_failed")
                .contains("service shop").contains("active");
        click(By.xpath("//button[normalize-space()='Pause']"));
        wait.until(d -> d.findElement(testId("notifications-table")).getText().contains("inactive"));
        driver.findElement(By.cssSelector("#view form.inline-form input[name='recipients']")).sendKeys("ops@example.test");
        driver.findElement(By.xpath("//button[normalize-space()='Send test e-mail']")).click();
        wait.until(d -> d.findElement(By.xpath("//section[.//h2[@id='test-mail']]//p[contains(@class,'message')]"))
                .getText().startsWith("Not sent"));
        assertThat(driver.findElement(By.xpath("//section[.//h2[@id='test-mail']]//p[contains(@class,'message')]"))
                .getText()).contains("SMTP is not configured").contains("smtp_not_configured");
        screenshot("notifications");
        assertNoConsoleErrors("notifications");

        open("health");
        wait.until(d -> d.findElement(testId("health-checks")).getText().contains("database"));
        assertThat(driver.findElement(testId("queues")).getText()).contains("hub-events");
        assertThat(driver.findElement(testId("health-status")).getText()).contains("The hub is");
        assertNoErrorMessage();
        screenshot("health");
        assertNoConsoleErrors("health");
    }

    @Test
    @Order(7)
    void registerAWebhookSeeItsSecretOnceAndItsSignedDeliveriesAndReplayOne() throws Exception {
        open("webhooks");
        visible(testId("webhooks-table"));
        driver.findElement(By.cssSelector("#view form.grid-form input[name='name']")).sendKeys("service desk");
        driver.findElement(By.cssSelector("#view form.grid-form input[name='event_types']")).sendKeys("ticket.created");
        driver.findElement(By.xpath("//button[normalize-space()='Register webhook']")).click();
        String hookSecret = visible(testId("registered-secret")).getAttribute("value");
        String hookUrl = visible(testId("registered-url")).getAttribute("value");
        assertThat(hookSecret).startsWith("whsec_");
        assertThat(hookUrl).startsWith("http://localhost:" + hub.port() + "/api/webhooks/receive/webhook_");
        wait.until(d -> d.findElement(testId("webhooks-table")).getText().contains("service desk"));
        assertThat(driver.findElement(testId("webhooks-table")).getText()).contains("active")
                .contains("ticket.created");
        assertThat(driver.findElement(By.tagName("body")).getText()).contains("will not show it again");
        screenshot("webhooks-registered");

        // after a reload the secret is gone for good
        driver.navigate().refresh();
        wait.until(d -> d.findElement(testId("webhooks-table")).getText().contains("service desk"));
        assertThat(driver.findElements(testId("registered-secret"))).isEmpty();
        assertThat(driver.getPageSource()).doesNotContain(hookSecret);

        driver.findElement(By.linkText("service desk")).click();
        visible(By.xpath("//h1[normalize-space()='service desk']"));
        assertThat(visible(testId("registered-url")).getAttribute("value")).isEqualTo(hookUrl);
        assertThat(driver.findElement(testId("webhook-info")).getText()).contains("not shown again");
        assertThat(driver.getPageSource()).doesNotContain(hookSecret);
        wait.until(d -> d.findElement(testId("webhook-deliveries")).getText().contains("No deliveries"));
        waitLive();
        markDocument();

        byte[] body = "{\"id\":\"sd-1001\",\"type\":\"ticket.created\",\"ticket\":{\"id\":1001,\"title\":\"Printer\"}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.net.http.HttpResponse<String> r = hub.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(hookUrl)).POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json")
                .header("X-Webhook-Signature", dev.webhookhub.support.Signatures.githubSha256(hookSecret, body)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        wait.until(d -> d.findElements(testId("view-webhook-delivery")).size() == 1
                && d.findElement(testId("webhook-deliveries")).getText().contains("processed"));
        assertNotReloaded();
        String deliveries = driver.findElement(testId("webhook-deliveries")).getText();
        assertThat(deliveries).contains("ticket.created").contains("valid").contains("202").contains("sd-1001");
        click(testId("view-webhook-delivery"));
        WebElement payload = visible(testId("webhook-delivery-payload"));
        assertThat(payload.getText()).contains("\"ticket\": {").contains("\n    \"id\": 1001");
        String detail = driver.findElement(testId("webhook-delivery-detail")).getText();
        assertThat(detail).containsIgnoringCase("x-webhook-signature [redacted]");
        assertThat(detail).doesNotContain(hookSecret);
        screenshot("webhook-deliveries");

        // a processed delivery can be replayed: a new delivery linked to it
        click(testId("replay-webhook-delivery"));
        wait.until(d -> d.findElement(By.cssSelector("#view .message.ok")).getText().startsWith("Replay accepted"));
        wait.until(d -> d.findElements(testId("view-webhook-delivery")).size() == 2);

        // deactivated: the page says so (the replay's live updates may still redraw the page: click() finds the
        // button again when the one it found was replaced)
        click(By.xpath("//button[normalize-space()='Deactivate']"));
        wait.until(d -> d.findElement(testId("webhook-info")).getText().contains("inactive"));
        assertNoConsoleErrors("registered webhooks");
    }

    @Test
    @Order(8)
    void runASyncConfigNowAndSeeTheJobInTheQueue() throws Exception {
        java.net.http.HttpResponse<String> created = hub.admin("POST", "/api/sync-configs", "{\"name\":\"ui items\","
                + "\"source\":{\"type\":\"http-json\",\"url\":\"http://127.0.0.1:1/x\",\"items\":\"$.items\","
                + "\"id\":\"id\"},\"target\":{\"type\":\"sql\",\"table\":\"ui_synced\",\"key\":[\"id\"]},"
                + "\"trigger_type\":\"manual\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        open("jobs");
        wait.until(d -> d.findElement(testId("sync-configs")).getText().contains("ui items"));
        assertThat(driver.findElement(testId("sync-configs")).getText()).contains("http-json → sql")
                .contains("manual");
        visible(testId("scheduler"));
        wait.until(d -> d.findElement(testId("queue-status")).getText().contains("waiting"));
        waitLive();
        markDocument();
        click(By.xpath("//tr[td[normalize-space()='ui items']]//button[@data-testid='run-now']"));
        wait.until(d -> d.findElement(By.cssSelector("#view .message.ok")).getText().contains("queued (job "));
        String jobId = driver.findElement(By.cssSelector("#view .message.ok")).getText()
                .replaceAll(".*queued \\(job ([^)]+)\\).*", "$1");
        // the source refuses at once: the job fails, and the page shows it with its status and error
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> d.findElement(testId("started-jobs")).getText()
                .contains("failed") && d.findElement(testId("recent-jobs")).getText().contains("ui items"));
        assertNotReloaded();
        assertThat(json(hub.admin("GET", "/api/jobs/status/" + jobId, null)).get("job").get("status").asText())
                .isEqualTo("failed");
        assertThat(driver.findElement(testId("recent-jobs")).getText()).contains("manual").contains("failed");
        // the table re-renders on the job's events
        click(By.xpath("//tr[td[normalize-space()='ui items']]//button[@data-testid='show-history']"));
        wait.until(d -> d.findElement(testId("execution-history")).getText().contains("failed"));
        assertThat(driver.findElement(testId("execution-history")).getText()).contains("Execution history: ui items");
        screenshot("jobs");

        // the scheduler can be stopped and started from the page
        boolean running = !driver.findElements(testId("scheduler-stop")).isEmpty();
        visible(testId(running ? "scheduler-stop" : "scheduler-start")).click();
        visible(testId(running ? "scheduler-start" : "scheduler-stop")).click();
        visible(testId(running ? "scheduler-stop" : "scheduler-start"));
        assertThat(json(hub.admin("GET", "/api/scheduler/status", null)).get("scheduler").get("isRunning")
                .asBoolean()).isEqualTo(running);
        assertNoErrorMessage();
        assertNoConsoleErrors("jobs");
    }

    @Test
    @Order(9)
    void whenTheStreamIsRefusedThePagePollsAndGoesLiveAgainLater() throws Exception {
        driver.navigate().to("about:blank");
        Await.until(() -> json(hub.admin("GET", "/api/dashboard/overview", null)).get("live_streams").asInt() == 0,
                Duration.ofSeconds(10), "the browser's stream to close");
        // take every stream the hub allows (hub.ui.max-streams = 3)
        List<java.io.InputStream> held = new java.util.ArrayList<>();
        java.net.http.HttpClient http = TestHub.httpClient().build();
        while (true) {
            String ticket = json(hub.admin("POST", "/api/events/ticket", null)).get("ticket").asText();
            java.net.http.HttpResponse<java.io.InputStream> r = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(hub.url("/api/events/stream?ticket=" + ticket))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                assertThat(r.statusCode()).isEqualTo(503);
                r.body().close();
                break;
            }
            held.add(r.body());
        }
        assertThat(held).hasSize(3);
        try {
            open("runs");
            wait.until(d -> "polling".equals(d.findElement(By.id("live")).getAttribute("data-state")));
            assertThat(driver.findElement(By.id("live")).getText()).startsWith("Polling");
            markDocument();
            jenkins.job("", "ui-polled", FakeJenkins.sampleBuilds(jenkins.jobUrl("", "ui-polled")));
            new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.findElement(testId("runs-table")).getText()
                    .contains("ui-polled"));
            assertNotReloaded();
        } finally {
            for (java.io.InputStream in : held) {
                in.close();
            }
        }
        // the page asks for a new ticket every 10 s while polling
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> "live".equals(d.findElement(By.id("live"))
                .getAttribute("data-state")));
        assertNotReloaded();
        // Chromium reports the refused stream itself (503, not text/event-stream); nothing else
        assertThat(severeConsole()).allSatisfy(e -> assertThat(e.getMessage()).contains("/api/events/stream"));
    }

    @Test
    @Order(10)
    void deploymentsWithDeploysOffShowTheReasonTheBuildLogAndTheApisAnswersToDeployRedeployRollback()
            throws Exception {
        String id = hub.createService("deploys-off", "main");
        String key = json(hub.admin("GET", "/api/containers/services/" + id + "/webhook-url?provider=github", null))
                .get("secret").asText();
        byte[] body = DashboardHttpTest.push("deadbeef01");
        assertThat(hub.postWebhook("github", id, body, DashboardHttpTest.headers(key, body)).statusCode())
                .isEqualTo(202);
        // the scheduler stamps the pending deployment with why it cannot go on (no DOCKER_HOST in tests)
        Await.until(() -> json(hub.admin("GET", "/api/containers/services/" + id + "/deployments", null))
                .get("items").path(0).hasNonNull("error"), Duration.ofSeconds(15), "the deploys-off reason");
        severeConsole();
        open("services/" + id);
        wait.until(d -> d.findElement(testId("deployments")).getText().contains("deadbee"));
        WebElement table = driver.findElement(testId("deployments"));
        assertThat(table.getText()).contains("pending").contains("on main").contains("Created");
        assertThat(driver.findElement(testId("deployment-error")).getText())
                .isEqualTo("deploys are off (DOCKER_HOST not set)");
        assertThat(driver.findElements(testId("timeline"))).hasSize(1);

        // the build log of a deployment that never built: empty, and not followed (it will not start)
        driver.findElement(testId("build-log-open")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).withMessage(() -> "build log state: "
                + driver.findElement(testId("build-log-state")).getText())
                .until(d -> d.findElement(testId("build-log-state")).getText().startsWith("Deployment pending"));
        assertThat(driver.findElement(testId("build-log")).getText()).isEmpty();
        assertThat(driver.findElement(testId("build-log-state")).getText()).contains("the log is empty");

        // rollback: nothing healthy before, the API's 409 in words
        driver.findElement(testId("rollback")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(d -> d.findElement(testId("deployments-message")).getText().contains("Rollback refused"));
        assertThat(driver.findElement(testId("deployments-message")).getText())
                .isEqualTo("Rollback refused: no earlier healthy image of the service to roll back to "
                        + "(HTTP 409, nothing_to_roll_back_to)");
        // deploy of a malformed branch: the API's 400 in words
        driver.findElement(testId("deploy-target")).sendKeys("not a branch");
        driver.findElement(testId("deploy")).click();
        wait.until(d -> d.findElement(testId("deployments-message")).getText().contains("Deploy refused"));
        assertThat(driver.findElement(testId("deployments-message")).getText())
                .isEqualTo("Deploy refused: branch must be a branch name such as main (HTTP 400, invalid_field)");
        // redeploy: accepted (the service is not mid-deploy), a new pending deployment of the same commit
        driver.findElement(testId("redeploy")).click();
        wait.until(d -> d.findElement(testId("deployments-message")).getText().startsWith("Redeploy accepted"));
        assertThat(driver.findElement(testId("deployments-message")).getText()).endsWith(" is pending.");
        wait.until(d -> d.findElements(testId("redeploy")).size() == 2);
        JsonNode items = json(hub.admin("GET", "/api/containers/services/" + id + "/deployments", null)).get("items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("commit_sha").asText()).isEqualTo("deadbeef01");
        assertThat(items.get(0).get("provider").asText()).isEqualTo("redeploy");
        // a deploy of a branch: accepted
        WebElement target = driver.findElement(testId("deploy-target"));
        target.clear();
        target.sendKeys("main");
        driver.findElement(testId("deploy")).click();
        wait.until(d -> d.findElement(testId("deployments-message")).getText().startsWith("Deploy accepted"));
        wait.until(d -> d.findElements(testId("timeline")).size() == 3);
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView()",
                driver.findElement(By.id("dep-title")));
        screenshot("service-deployment-actions");
        // the refused requests logged their 409 and 400 loads; nothing else
        assertThat(severeConsole()).hasSize(2).allSatisfy(e -> assertThat(e.getMessage()).containsAnyOf("409", "400"));
    }

    @Test
    @Order(11)
    void editAndDeleteAService() throws Exception {
        String id = hub.createService("old-name", "main");
        open("services/" + id);
        WebElement name = visible(By.cssSelector("#view form.grid-form input[name='name']"));
        wait.until(d -> "old-name".equals(name.getAttribute("value")));
        name.clear();
        name.sendKeys("new-name");
        WebElement branch = driver.findElement(By.cssSelector("#view form.grid-form input[name='git_branch']"));
        branch.clear();
        branch.sendKeys("develop");
        driver.findElement(By.xpath("//button[normalize-space()='Save changes']")).click();
        visible(By.xpath("//h1[normalize-space()='new-name']"));
        JsonNode saved = json(hub.admin("GET", "/api/containers/services/" + id, null));
        assertThat(saved.get("git_branch").asText()).isEqualTo("develop");

        // a refused change is shown in the API's words and changes nothing
        WebElement branchAgain = driver.findElement(By.cssSelector("#view form.grid-form input[name='git_branch']"));
        branchAgain.clear();
        branchAgain.sendKeys("no spaces allowed");
        driver.findElement(By.xpath("//button[normalize-space()='Save changes']")).click();
        wait.until(d -> d.findElement(By.cssSelector("#view .message.error")).getText().contains("git_branch"));
        assertThat(driver.findElement(By.cssSelector("#view .message.error")).getText()).contains("HTTP 400");

        driver.findElement(By.xpath("//button[normalize-space()='Delete service']")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(d -> d.getCurrentUrl().endsWith("#/services"));
        assertThat(hub.admin("GET", "/api/containers/services/" + id, null).statusCode()).isEqualTo(404);
        // the refused save logged its 400 load; nothing else
        assertThat(severeConsole()).allSatisfy(e -> assertThat(e.getMessage()).contains("400"));
    }

    @Test
    @Order(12)
    void phoneWidthKeyboardAndSignOut() throws Exception {
        driver.manage().window().setSize(new Dimension(390, 844));
        open("runs");
        wait.until(d -> d.findElement(testId("runs-table")).getText().contains("ui-deploy"));
        long overflow = (Long) ((JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(overflow).as("no horizontal scrolling at phone width").isLessThanOrEqualTo(0);
        screenshot("pipeline-runs-phone");

        // keyboard: from the skip link, Tab goes through every menu link to Sign out
        ((JavascriptExecutor) driver).executeScript("document.querySelector('.skip').focus();");
        WebElement active = null;
        java.util.List<String> visited = new java.util.ArrayList<>();
        boolean reachedSignOut = false;
        for (int i = 0; i < 12 && !reachedSignOut; i++) {
            driver.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.TAB);
            active = driver.switchTo().activeElement();
            visited.add(active.getText());
            reachedSignOut = "signout".equals(active.getAttribute("id"));
        }
        assertThat(reachedSignOut).as("Sign out reachable by keyboard after " + visited).isTrue();
        assertThat(visited).contains("Pipeline runs", "Services", "Deliveries", "Outbound", "Notifications",
                "Webhooks", "Jobs", "Health");
        active.sendKeys(org.openqa.selenium.Keys.ENTER);
        visible(By.id("token"));
        assertThat(driver.findElement(By.id("signin-error")).getText()).isEqualTo("Signed out.");
        assertThat(((JavascriptExecutor) driver).executeScript("return sessionStorage.length")).isEqualTo(0L);
        driver.manage().window().setSize(new Dimension(1280, 900));
        assertNoConsoleErrors("sign out");
    }
}
