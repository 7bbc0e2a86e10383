package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ployer.server.ServerFixture.Answer;
import io.ployer.testkit.Environment;
import io.ployer.plugin.caddy.testing.CaddyProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's team pages in a real browser (headless Chromium) against a real server with
 * Docker and Caddy: the owner turns two-factor sign-in on (secret and otpauth URI shown, confirmed
 * with a code, recovery codes shown once), signs out and back in with a code; makes a user admin and
 * removes another on the users page; adds a project member and changes their role; and opens the
 * server's resources, containers, networks and volumes, the applications list with its health
 * column and a domain's TLS state. Each page is captured at 375 and 1440 px under
 * {@code target/screenshots} and checked with axe-core (no serious or critical violation). The
 * engine runs on a clock the test moves, so the authenticator's codes are computed, never waited for.
 */
class DashboardTeamsBrowserIT {
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    Path data;

    private WebDriver browser;
    private WebDriverWait wait;
    private final List<String> accessibilityProblems = new ArrayList<>();

    @Test
    void theOwnerSecuresTheAccountAndManagesUsersMembersAndTheServer() throws Exception {
        Path chromium = DashboardBrowserIT.requireOnPath("chromium", "apt-get install chromium (scripts/provision-test-env.sh)");
        Path driver = DashboardBrowserIT.requireOnPath("chromedriver", "apt-get install chromium-driver (scripts/provision-test-env.sh)");
        Environment.requireDocker();
        Environment.requireCaddy();
        Files.createDirectories(SCREENSHOTS);
        TestingClock clock = new TestingClock(Instant.now());
        try (CaddyProcess caddy = CaddyProcess.start(data.resolve("caddy"))) {
            Map<String, String> config = Map.of("proxy", "caddy", "proxy.admin-address", caddy.adminAddress(),
                    "proxy.http-port", String.valueOf(caddy.httpPort()), "proxy.listen-host", "127.0.0.1", "proxy.http-only", "true");
            try (ServerFixture server = new ServerFixture(data.resolve("server"), clock, config)) {
                browser = DashboardBrowserIT.startBrowser(chromium, driver);
                wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
                String base = "http://127.0.0.1:" + server.server.port();

                // The first account is the owner.
                browser.get(base + "/");
                heading("Sign in to Ployer");
                browser.findElement(By.linkText("Create an account")).click();
                heading("Create an account");
                type("email", "owner@example.com");
                type("password", "correct horse battery");
                submit();
                heading("Applications");

                // Two-factor enrolment: the secret and the otpauth URI, a confirming code, the recovery codes once.
                nav("Account");
                heading("Your account");
                assertThat(browser.findElement(By.id("totp-state")).getText()).isEqualTo("off");
                click(By.xpath("//button[normalize-space()='Set up two-factor sign-in']"));
                String secret = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("totp-secret"))).getText();
                assertThat(secret).matches("[A-Z2-7]{16,}");
                String uri = browser.findElement(By.id("totp-uri")).getAttribute("href");
                assertThat(uri).startsWith("otpauth://totp/").contains("secret=" + secret);
                capture("account-two-factor-setup");
                type("code", "000000".equals(AccountsFlowTest.code(secret, clock.instant())) ? "111111" : "000000");
                submit();
                assertThat(errorFor("code")).isNotBlank(); // a wrong code is refused next to its field
                type("code", AccountsFlowTest.code(secret, clock.instant()));
                submit();
                List<WebElement> codes = wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#recovery-codes li"), 10));
                String recoveryCode = codes.get(0).getText();
                assertThat(recoveryCode).isNotBlank();
                capture("account-recovery-codes");
                browser.navigate().refresh();
                heading("Your account");
                wait.until(ExpectedConditions.textToBe(By.id("totp-state"), "on"));
                assertThat(browser.findElements(By.id("recovery-codes"))).isEmpty(); // shown once, never again
                assertThat(browser.findElement(By.id("main")).getText()).doesNotContain(recoveryCode);

                // Signing in again needs the code: the API's message next to the code field, then the next step's code.
                click(By.xpath("//button[normalize-space()='Sign out']"));
                heading("Sign in to Ployer");
                type("email", "owner@example.com");
                type("password", "correct horse battery");
                submit();
                assertThat(errorFor("totp")).contains("second factor");
                capture("sign-in-with-code");
                clock.advance(Duration.ofSeconds(30)); // the confirming code's step is used: the authenticator moves on
                type("totp", AccountsFlowTest.code(secret, clock.instant()));
                submit();
                heading("Applications");
                String token = (String) ((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('ployer.token')");
                assertThat(server.get("/auth/me", token).json().path("role").asText()).isEqualTo("OWNER");

                // Users: the owner makes one user admin and removes another.
                server.send("PUT", "/auth/registration", token, "{\"open\":true}");
                String bob = userId(server, server.login("bob@example.com", "bob-password-1"));
                String carol = userId(server, server.login("carol@example.com", "carol-password"));
                String dave = userId(server, server.login("dave@example.com", "dave-password-1"));
                nav("Users");
                heading("Users");
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table"), "carol@example.com"));
                new Select(browser.findElement(By.id("role-" + bob))).selectByValue("admin");
                click(By.cssSelector("button[aria-label='Save role of bob@example.com']"));
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("page-status"), "now admin"));
                assertThat(role(server, token, bob)).isEqualTo("ADMIN");
                click(By.cssSelector("button[aria-label='Remove carol@example.com']"));
                wait.until(ExpectedConditions.alertIsPresent()).accept();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("page-status"), "removed"));
                assertThat(server.get("/auth/users", token).body()).doesNotContain(carol);
                capture("users");

                // A project's members: add one with a role, then change the role in place.
                assertThat(server.post("/projects", token, "{\"id\":\"alpha\",\"name\":\"Alpha\"}").status()).isEqualTo(201);
                nav("Projects");
                heading("Projects");
                browser.findElement(By.linkText("Alpha")).click();
                heading("Alpha");
                new Select(browser.findElement(By.name("user_id"))).selectByValue(dave);
                new Select(browser.findElement(By.name("role"))).selectByValue("developer");
                click(By.xpath("//button[normalize-space()='Add member']"));
                wait.until(ExpectedConditions.presenceOfElementLocated(By.id("member-role-" + dave)));
                assertThat(memberRole(server, token, dave)).isEqualTo("DEVELOPER");
                new Select(browser.findElement(By.id("member-role-" + dave))).selectByValue("viewer");
                click(By.cssSelector("button[aria-label='Save role of dave@example.com']"));
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("page-status"), "now viewer"));
                assertThat(memberRole(server, token, dave)).isEqualTo("VIEWER");
                assertThat(browser.findElement(By.id("main")).getText()).contains("production");
                capture("project-members");

                // Environments: add staging, then make an application's counterpart there (shared git settings, own branch).
                type("name", "staging");
                click(By.xpath("//button[normalize-space()='Add environment']"));
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("page-status"), "staging was added"));
                Answer web = server.post("/applications", token, "{\"name\":\"web\",\"git_url\":\"https://git.example.com/web.git\","
                        + "\"project_id\":\"alpha\"}");
                assertThat(web.status()).as(web.body()).isEqualTo(201);
                browser.navigate().refresh();
                heading("Alpha");
                WebElement counterpartName = wait.until(ExpectedConditions.elementToBeClickable(
                        By.xpath("//section[@aria-labelledby='counterpart']//input[@name='name']")));
                counterpartName.sendKeys("web-staging");
                browser.findElement(By.xpath("//section[@aria-labelledby='counterpart']//input[@name='branch']")).sendKeys("develop");
                capture("project-environments");
                click(By.xpath("//button[normalize-space()='Create in environment']"));
                heading("web-staging");
                JsonNode staged = server.get("/projects/alpha/environments/staging/applications", token).json();
                assertThat(staged).hasSize(1);
                assertThat(staged.path(0).path("source_application_id").asText()).isEqualTo(web.json().path("id").asText());
                assertThat(server.get("/applications/" + staged.path(0).path("application_id").asText(), token).json().path("branch").asText())
                        .isEqualTo("develop");

                // The server's resources, containers, networks and volumes (admins).
                nav("Server");
                heading("Server");
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "Memory"));
                capture("server-resources");
                for (String[] page : new String[][] {{"Containers", "server-containers"}, {"Networks", "server-networks"},
                        {"Volumes", "server-volumes"}}) {
                    click(By.xpath("//nav[@aria-label='Server']//a[normalize-space()='" + page[0] + "']"));
                    wait.until(ExpectedConditions.attributeToBe(By.xpath("//nav[@aria-label='Server']//a[normalize-space()='"
                            + page[0] + "']"), "aria-current", "page"));
                    capture(page[1]);
                }
                assertThat(browser.findElement(By.id("main")).getText()).isNotBlank();

                // Health at a glance in the list, and a domain's TLS state.
                Answer app = server.post("/applications", token, "{\"name\":\"shop\",\"git_url\":\"https://git.example.com/shop.git\"}");
                assertThat(app.status()).as(app.body()).isEqualTo(201);
                String appId = app.json().path("id").asText();
                server.post("/applications/" + appId + "/domains", token, "{\"domain\":\"shop.example.com\"}");
                nav("Applications");
                heading("Applications");
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table"), "no check"));
                assertThat(browser.findElement(By.cssSelector("table thead")).getText()).containsIgnoringCase("Health");
                capture("applications-health");
                browser.get(base + "/#/apps/" + appId + "/domains");
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table"), "shop.example.com"));
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table"), "http-only"));
                capture("domains-tls");

                List<String> policyViolations = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .map(LogEntry::getMessage).filter(message -> message.contains("Content Security Policy")).toList();
                assertThat(policyViolations).isEmpty();
                assertThat(accessibilityProblems).isEmpty();
            } finally {
                if (browser != null) {
                    browser.quit();
                }
            }
        }
    }

    private static String userId(ServerFixture server, String token) {
        return server.get("/auth/me", token).json().path("id").asText();
    }

    private static String role(ServerFixture server, String token, String userId) {
        for (JsonNode user : server.get("/auth/users", token).json()) {
            if (user.path("id").asText().equals(userId)) {
                return user.path("role").asText();
            }
        }
        return null;
    }

    private static String memberRole(ServerFixture server, String token, String userId) {
        for (JsonNode member : server.get("/projects/alpha/members", token).json()) {
            if (member.path("user_id").asText().equals(userId)) {
                return member.path("role").asText();
            }
        }
        return null;
    }

    private void nav(String label) {
        click(By.xpath("//nav[@aria-label='Main']//a[normalize-space()='" + label + "']"));
    }

    private void heading(String text) {
        wait.until(ExpectedConditions.textToBe(By.cssSelector("main h1"), text));
    }

    private void type(String name, String value) {
        WebElement input = wait.until(ExpectedConditions.elementToBeClickable(By.name(name)));
        input.clear();
        input.sendKeys(value);
    }

    private void submit() {
        click(By.cssSelector("main form button[type=submit]"));
    }

    private void click(By locator) {
        wait.until(ExpectedConditions.elementToBeClickable(locator)).click();
    }

    private String errorFor(String field) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-error-for='" + field + "']"))).getText();
    }

    /** A screenshot at 375 and 1440 px, and an axe-core check of the page. */
    private void capture(String name) throws IOException {
        for (int width : new int[] {375, 1440}) {
            browser.manage().window().setSize(new Dimension(width, 900));
            ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
            Files.write(SCREENSHOTS.resolve(name + "-" + width + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            Long overflow = (Long) ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
            if (overflow != null && overflow > 0) {
                accessibilityProblems.add(name + " at " + width + " px scrolls sideways by " + overflow + " px");
            }
        }
        browser.manage().window().setSize(new Dimension(1440, 900));
        checkAccessibility(name);
    }

    @SuppressWarnings("unchecked")
    private void checkAccessibility(String page) throws IOException {
        JavascriptExecutor script = (JavascriptExecutor) browser;
        if (!Boolean.TRUE.equals(script.executeScript("return typeof window.axe === 'object'"))) {
            try (InputStream in = DashboardTeamsBrowserIT.class.getResourceAsStream("/axe-core/axe.min.js")) {
                script.executeScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        List<Object> violations = (List<Object>) script.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
                        + ".then(result => done(result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
                        + ".map(v => v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))))"
                        + ".catch(error => done(['axe failed: ' + error]));");
        System.out.println("[dashboard-teams] " + page + ": " + violations.size() + " serious or critical accessibility violations");
        violations.forEach(violation -> System.out.println("[dashboard-teams]   " + violation));
        violations.forEach(violation -> accessibilityProblems.add(page + ": " + violation));
    }
}
