package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.testkit.Environment;
import io.ployer.plugin.caddy.testing.CaddyProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.logging.Level;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's headless Chromium through chromium-driver) against a
 * real server with real Docker and Caddy: sign up, create an app from a local git repository, set
 * an env var, deploy and watch the live log reach RUNNING, open the app through Caddy, roll back,
 * see a failed deployment's reason, revoke an API key, sign out. Every main page is captured at
 * 375 and 1440 px under {@code target/screenshots} and checked with axe-core (no serious or
 * critical violation), and the browser must report no Content-Security-Policy violation.
 */
class DashboardBrowserIT {
    private static final String APP_HOST = "web.example.test";
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    Path data;

    private WebDriver browser;
    private WebDriverWait wait;
    private final List<String> accessibilityProblems = new ArrayList<>();

    @Test
    void aPersonDeploysAndOperatesAnAppFromTheDashboard() throws Exception {
        Path chromium = requireOnPath("chromium", "apt-get install chromium (scripts/provision-test-env.sh)");
        Path driver = requireOnPath("chromedriver", "apt-get install chromium-driver (scripts/provision-test-env.sh)");
        Environment.requireDocker();
        Environment.requireCaddy();
        Files.createDirectories(SCREENSHOTS);
        try (CaddyProcess caddy = CaddyProcess.start(data.resolve("caddy"))) {
            Map<String, String> config = Map.of("proxy", "caddy", "proxy.admin-address", caddy.adminAddress(),
                    "proxy.http-port", String.valueOf(caddy.httpPort()), "proxy.listen-host", "127.0.0.1", "proxy.http-only", "true", "stats.interval", "1s",
                    "databases.image-redis", "ployer-test/redis");
            Path repository = data.resolve("repo");
            try (Git git = Git.init().setDirectory(repository.toFile()).setInitialBranch("main").call()) {
                Files.writeString(repository.resolve("Dockerfile"), "FROM ployer/busybox:latest\n"
                        + "CMD [\"sh\", \"-c\", \"mkdir -p /www && echo \\\"$GREETING\\\" > /www/index.html && exec httpd -f -p 8080 -h /www\"]\n");
                git.add().addFilepattern(".").call();
                git.commit().setMessage("a greeting").setAuthor("Ada", "ada@example.com").setCommitter("Ada", "ada@example.com").call();
            }
            String applicationId = null;
            try (ServerFixture server = new ServerFixture(data.resolve("server"), Clock.systemUTC(), config)) {
                browser = startBrowser(chromium, driver);
                wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                // The pages re-render themselves (polling, live events): an element found a moment ago may be replaced.
                wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
                String base = "http://127.0.0.1:" + server.server.port();

                // First run: the sign-in page offers to create the administrator.
                browser.get(base + "/");
                heading("Sign in to Ployer");
                capture("sign-in");
                browser.findElement(By.linkText("Create an account")).click();
                heading("Create an account");
                type("email", "ada@example.com");
                type("password", "short");
                submit();
                // The API's message lands next to the field it names.
                assertThat(errorFor("password")).contains("8");
                assertThat(browser.findElement(By.name("password")).getAttribute("aria-invalid")).isEqualTo("true");
                type("password", "correct horse battery");
                submit();
                heading("Applications");
                capture("applications-empty");

                // Create an application; a bad URL is refused next to its field.
                browser.findElement(By.linkText("New application")).click();
                heading("New application");
                type("name", "web");
                type("git_url", "ext::sh -c touch% /tmp/pwned");
                capture("new-application");
                submit();
                assertThat(errorFor("git_url")).isNotBlank();
                type("git_url", repository.toUri().toString());
                submit();
                heading("web");
                applicationId = browser.getCurrentUrl().replaceAll(".*#/apps/", "");
                WebElement deployKey = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("deploy-key")));
                assertThat(deployKey.getAttribute("value")).startsWith("ssh-ed25519 ");
                capture("application");

                // An env var, masked until revealed.
                tab("Environment");
                type("key", "GREETING");
                type("value", "hello v1");
                submit();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table"), "GREETING"));
                assertThat(browser.findElement(By.cssSelector("table")).getText()).doesNotContain("hello v1");
                click(By.cssSelector("button[aria-label='Reveal GREETING']"));
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table"), "hello v1"));
                // A pasted .env file: every good line lands, a bad one is reported by its line number.
                type("dotenv", "# from the old host\nLOG_LEVEL=debug\nexport MODE='calm'\nnot a key=1\n");
                click(By.xpath("//button[normalize-space()='Import']"));
                assertThat(errorFor("dotenv")).contains("line 4");
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table"), "MODE"));
                assertThat(browser.findElement(By.cssSelector("table")).getText()).contains("LOG_LEVEL");
                capture("environment");

                tab("Domains");
                type("domain", APP_HOST);
                submit();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table"), APP_HOST));
                capture("domains");
                tab("Health check");
                capture("health-check");
                tab("Webhook");
                capture("webhook");

                // Deploy and follow the live log to RUNNING, then open the app through Caddy.
                tab("Overview");
                String first = deploy();
                capture("deployment");
                assertThat(browser.findElement(By.id("deployment-log")).getText()).isNotBlank();
                assertThat(browser.findElements(By.cssSelector(".steps .step-done"))).hasSize(5);
                assertThat(browser.findElement(By.id("stream-state")).getText()).isEqualTo("live");
                assertThat(throughCaddy(caddy, "hello v1")).isEqualTo("hello v1");

                // A second version of the code, then roll back to the first (the env var stays as it is).
                try (Git git = Git.open(repository.toFile())) {
                    Files.writeString(repository.resolve("Dockerfile"), "FROM ployer/busybox:latest\n"
                            + "CMD [\"sh\", \"-c\", \"mkdir -p /www && echo \\\"$GREETING from v2\\\" > /www/index.html && exec httpd -f -p 8080 -h /www\"]\n");
                    git.add().addFilepattern(".").call();
                    git.commit().setMessage("version 2").setAuthor("Ada", "ada@example.com").setCommitter("Ada", "ada@example.com").call();
                }
                browser.findElement(By.linkText("web")).click();
                tab("Overview");
                deploy();
                assertThat(throughCaddy(caddy, "hello v1 from v2")).isEqualTo("hello v1 from v2");
                browser.findElement(By.linkText("web")).click();
                heading("web");
                click(By.cssSelector("button[aria-label='Roll back to deployment " + first.substring(0, 8) + "']"));
                wait.until(ExpectedConditions.urlContains("#/deployments/"));
                awaitStatus("running");
                assertThat(throughCaddy(caddy, "hello v1")).isEqualTo("hello v1");

                // A deployment that fails shows its reason; the app keeps serving.
                browser.findElement(By.linkText("web")).click();
                tab("Settings");
                capture("application-settings");
                type("branch", "no-such-branch");
                submit();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("page-status"), "saved"));
                tab("Overview");
                click(By.xpath("//button[normalize-space()='Deploy']"));
                wait.until(ExpectedConditions.urlContains("#/deployments/"));
                awaitStatus("failed");
                WebElement reason = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("failure-reason")));
                assertThat(reason.getText()).isNotBlank();
                capture("deployment-failed");
                assertThat(throughCaddy(caddy, "hello v1")).isEqualTo("hello v1");
                browser.findElement(By.linkText("web")).click();
                tab("Monitoring");
                // The stats API's samples drawn as charts (sampled every second here); the page redraws each minute.
                new WebDriverWait(browser, Duration.ofSeconds(90)).pollingEvery(Duration.ofSeconds(3)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                        .until(current -> {
                            if (current.findElements(By.cssSelector("svg.chart-plot polyline")).size() == 4) {
                                return true;
                            }
                            current.navigate().refresh();
                            return false;
                        });
                capture("monitoring");

                // Stop and start from the overview: the app's status follows.
                tab("Overview");
                click(By.xpath("//main//button[normalize-space()='Stop']"));
                wait.until(ExpectedConditions.alertIsPresent()).accept();
                wait.until(ExpectedConditions.textToBe(By.cssSelector("main .title-row .badge"), "stopped"));
                click(By.xpath("//main//button[normalize-space()='Start']"));
                wait.until(ExpectedConditions.textToBe(By.cssSelector("main .title-row .badge"), "running"));
                assertThat(browser.findElement(By.id("main")).getText()).contains("Previews", "No previews");

                // The applications list shows the status and last deployment; search filters it.
                browser.findElement(By.linkText("Applications")).click();
                heading("Applications");
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table"), "failed"));
                capture("applications");
                type("search", "nothing-like-it");
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "No application matches"));

                // A Compose application: its domain form routes a domain to a service of the stack, on a port of it.
                browser.findElement(By.linkText("New application")).click();
                heading("New application");
                type("name", "stack");
                type("git_url", repository.toUri().toString());
                new org.openqa.selenium.support.ui.Select(browser.findElement(By.name("build_strategy"))).selectByValue("compose");
                submit();
                heading("stack");
                String stackId = browser.getCurrentUrl().replaceAll(".*#/apps/", "");
                tab("Domains");
                type("domain", "admin-stack.example.test");
                type("service", "admin");
                type("port", "9000");
                submit();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table"), "admin:9000"));
                assertThat(browser.findElement(By.cssSelector("table")).getText()).containsIgnoringCase("Routes to");
                assertThat(server.get("/applications/" + stackId + "/domains", token()).body()).contains("\"service\":\"admin\"", "\"port\":9000");
                capture("domains-compose");
                assertThat(server.send("DELETE", "/applications/" + stackId, token(), (String) null).status()).isEqualTo(204);

                // Databases: the list and its create form (a bad name is refused next to its field, nothing is created).
                browser.findElement(By.linkText("Databases")).click();
                heading("Databases");
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "No databases yet"));
                type("name", "Not A Name!");
                submit();
                assertThat(errorFor("name")).isNotBlank();
                assertThat(server.get("/databases", token()).body()).isEqualTo("[]");
                capture("databases");
                // A Redis database from the local test image: its page, stop and start, and a backup refused without a destination.
                type("name", "cache");
                new org.openqa.selenium.support.ui.Select(browser.findElement(By.name("engine"))).selectByValue("redis");
                type("version", "7");
                submit();
                new WebDriverWait(browser, Duration.ofMinutes(3)).until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "cache"));
                String databaseId = browser.getCurrentUrl().replaceAll(".*#/databases/", "");
                String adminToken = token();
                try {
                    wait.until(ExpectedConditions.textToBe(By.cssSelector("main .title-row .badge"), "running"));
                    click(By.xpath("//main//button[normalize-space()='Stop']"));
                    wait.until(ExpectedConditions.textToBe(By.cssSelector("main .title-row .badge"), "stopped"));
                    click(By.xpath("//main//button[normalize-space()='Start']"));
                    wait.until(ExpectedConditions.textToBe(By.cssSelector("main .title-row .badge"), "running"));
                    click(By.xpath("//main//button[normalize-space()='Back up now']"));
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("page-status"), "destination_id"));
                    assertThat(browser.findElement(By.id("main")).getText()).contains("Backups", "Link to an application");
                    capture("database");
                    browser.findElement(By.linkText("Databases")).click();
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main table"), "cache"));
                    assertThat(server.send("DELETE", "/databases/" + databaseId + "?delete_volume=true", adminToken, (String) null).status()).isEqualTo(204);
                } finally {
                    // Answers 404 after the test deleted it; after a failure it keeps the database from outliving the test.
                    server.send("DELETE", "/databases/" + databaseId + "?delete_volume=true", adminToken, (String) null);
                }
                // Templates: the shipped catalogue, each with its instantiate form.
                browser.findElement(By.linkText("Templates")).click();
                heading("Templates");
                assertThat(wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("ul[aria-label='Templates'] > li h2"), 0))).isNotEmpty();
                assertThat(browser.findElements(By.xpath("//main//button[starts-with(normalize-space(), 'Create from ')]"))).isNotEmpty();
                capture("templates");

                // An API key: shown once, works, then revoked.
                browser.findElement(By.linkText("Settings")).click();
                heading("Settings");
                type("name", "ci");
                submit();
                String key = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-api-key"))).getText();
                assertThat(server.get("/auth/me", key).status()).isEqualTo(200);
                capture("settings");
                click(By.cssSelector("button[aria-label='Revoke ci']"));
                wait.until(ExpectedConditions.alertIsPresent()).accept();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("page-status"), "revoked"));
                assertThat(server.get("/auth/me", key).status()).isEqualTo(401);

                // Signing out ends the session on the server and forgets the token in the browser.
                String token = (String) ((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('ployer.token')");
                assertThat(server.get("/auth/me", token).status()).isEqualTo(200);
                click(By.xpath("//button[normalize-space()='Sign out']"));
                heading("Sign in to Ployer");
                assertThat(((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('ployer.token')")).isNull();
                assertThat(server.get("/auth/me", token).status()).isEqualTo(401);
                assertThat(browser.manage().getCookies()).isEmpty();

                List<String> policyViolations = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .map(LogEntry::getMessage).filter(message -> message.contains("Content Security Policy")).toList();
                assertThat(policyViolations).isEmpty();
                assertThat(accessibilityProblems).isEmpty();
            } finally {
                if (browser != null) {
                    browser.quit();
                }
                removeContainersOf(applicationId);
            }
        }
    }

    static Path requireOnPath(String command, String remedy) {
        for (String directory : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(directory, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String message = command + " is not installed: " + remedy;
        if ("true".equalsIgnoreCase(System.getenv(Environment.REQUIRE_VARIABLE))) {
            Assertions.fail(message + " (required because " + Environment.REQUIRE_VARIABLE + "=true)");
        }
        System.out.println("[dashboard] skipping: " + message);
        Assumptions.abort(message);
        return null;
    }

    static WebDriver startBrowser(Path chromium, Path driver) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1440,900",
                // Traffic only to loopback: no background services, and every name but the app's fails to resolve.
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-default-apps", "--disable-domain-reliability", "--disable-client-side-phishing-detection",
                "--no-pings", "--disable-features=Translate,OptimizationHints,MediaRouter",
                "--host-resolver-rules=MAP " + APP_HOST + " 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1");
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private String token() {
        return (String) ((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('ployer.token')");
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

    private void tab(String label) {
        click(By.xpath("//nav[@aria-label='Application']//a[normalize-space()='" + label + "']"));
        wait.until(ExpectedConditions.attributeToBe(By.xpath("//nav[@aria-label='Application']//a[normalize-space()='" + label + "']"),
                "aria-current", "page"));
    }

    private String errorFor(String field) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-error-for='" + field + "']"))).getText();
    }

    /** Presses Deploy on the app's page and waits on the deployment page until it runs. */
    private String deploy() {
        heading("web");
        click(By.xpath("//button[normalize-space()='Deploy']"));
        wait.until(ExpectedConditions.urlContains("#/deployments/"));
        String deployment = browser.getCurrentUrl().replaceAll(".*#/deployments/", "");
        awaitStatus("running");
        return deployment;
    }

    private void awaitStatus(String status) {
        new WebDriverWait(browser, Duration.ofMinutes(3)).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(current -> {
            List<WebElement> badge = current.findElements(By.id("deployment-status"));
            String shown = badge.isEmpty() ? "" : badge.get(0).getText();
            if (!status.equals("failed") && shown.equals("failed")) {
                throw new AssertionError("the deployment failed: " + current.findElement(By.id("main")).getText());
            }
            return shown.equals(status);
        });
        // The live log carried lines before the end.
        wait.until(ExpectedConditions.textMatches(By.id("deployment-log"), java.util.regex.Pattern.compile("\\S")));
    }

    /**
     * The app's page through Caddy, asked until it reads {@code expected} or 20 s passed (then the
     * last body): each request carries a query of its own, so the browser's heuristic cache (busybox
     * httpd sends Last-Modified) cannot answer with the page of the version before.
     */
    private String throughCaddy(CaddyProcess caddy, String expected) {
        String handle = browser.getWindowHandle();
        browser.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String body = "";
            while (System.nanoTime() < deadline) {
                browser.get("http://" + APP_HOST + ":" + caddy.httpPort() + "/?request=" + System.nanoTime());
                body = browser.findElement(By.tagName("body")).getText().strip();
                if (body.equals(expected)) {
                    break;
                }
            }
            return body;
        } finally {
            browser.close();
            browser.switchTo().window(handle);
        }
    }

    /** A screenshot at 375 and 1440 px, and an axe-core check of the page. */
    private void capture(String name) throws IOException {
        for (int width : new int[] {375, 1440}) {
            browser.manage().window().setSize(new Dimension(width, 900));
            ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
            Path file = SCREENSHOTS.resolve(name + "-" + width + ".png");
            Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
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
            try (InputStream in = DashboardBrowserIT.class.getResourceAsStream("/axe-core/axe.min.js")) {
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
        System.out.println("[dashboard] " + page + ": " + violations.size() + " serious or critical accessibility violations");
        violations.forEach(violation -> accessibilityProblems.add(page + ": " + violation));
    }

    private static void removeContainersOf(String applicationId) {
        if (applicationId == null) {
            return;
        }
        try (ContainerRuntime docker = ServiceLoader.load(PloyerPlugin.class).stream().map(ServiceLoader.Provider::get)
                .flatMap(plugin -> plugin.containerRuntimeFactories().stream()).findFirst().orElseThrow()
                .create(Map.of(), new PluginContext() {
                })) {
            for (ContainerInfo container : docker.listContainers(Map.of(ContainerRuntime.LABEL_APP, applicationId), true)) {
                docker.removeContainer(container.id(), true);
            }
        }
    }
}
