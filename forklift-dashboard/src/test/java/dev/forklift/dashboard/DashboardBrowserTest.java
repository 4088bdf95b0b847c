package dev.forklift.dashboard;

import dev.forklift.pool.Pool;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The page in a real browser: headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) loads the
 * dashboard of a running job, sees its processes and a chart that moves, opens a failed task and sees the worker's
 * stack trace. The screenshot is kept at {@code target/dashboard-browser.png}. Skipped, and said so, where the
 * browser or its driver is missing, or with {@code -Dforklift.browser.test=false}.
 */
@ProcessDeadline(seconds = 120)
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of(System.getProperty("forklift.chromium", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getProperty("forklift.chromedriver", "/usr/bin/chromedriver"));

    @Test
    void thePageOfARunningJobShowsProcessesAMovingChartAndAFailedTasksStackTrace() throws Exception {
        assumeTrue(Boolean.parseBoolean(System.getProperty("forklift.browser.test", "true")),
            "browser test turned off (-Dforklift.browser.test=false)");
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER), "no headless browser here: "
            + CHROMIUM + " or " + DRIVER + " is missing (apt-get install chromium chromium-driver); skipped");
        final AtomicBoolean running = new AtomicBoolean(true);
        try (Pool pool = Pool.builder().workers(2).name("browse").build();
             Dashboard dashboard = Dashboard.forThisJob().failedTasksOf(pool).cluster(new StubCluster()).start()) {
            assertThat(pool.submit((Integer x) -> {
                throw new IllegalStateException("broken record " + x);
            }, 13)).failsWithin(60, TimeUnit.SECONDS);
            final Thread load = new Thread(() -> {
                int i = 0;
                while (running.get()) {
                    try {
                        pool.submit((Integer x) -> {
                            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
                            return x;
                        }, i++).get(30, TimeUnit.SECONDS);
                    } catch (final Exception ex) {
                        return;
                    }
                }
            }, "browser-test-load");
            load.setDaemon(true);
            load.start();

            final WebDriver driver = startBrowser();
            try {
                driver.get(dashboard.url());
                final WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
                wait.until(d -> d.findElements(By.cssSelector("#processes tbody tr")).size() >= 3);
                final String processes = driver.findElement(By.id("processes")).getText();
                for (final long pid : pool.workerPids()) {
                    assertThat(processes).contains(Long.toString(pid));
                }
                assertThat(processes).contains("browse-worker");
                assertThat(driver.findElements(By.cssSelector("#chart canvas"))).isNotEmpty();
                final int points = points(driver);
                wait.until(d -> points(d) >= points + 2);
                wait.until(d -> d.findElement(By.id("jobs")).getText().contains("browse"));

                wait.until(d -> !d.findElements(By.cssSelector("#failures tbody tr")).isEmpty());
                driver.findElement(By.cssSelector("#failures tbody tr")).click();
                final WebElement stack = driver.findElement(By.id("failure-stack"));
                wait.until(d -> stack.getText().contains("IllegalStateException"));
                assertThat(stack.getText()).contains("broken record 13").contains("at dev.forklift.dashboard");
                assertThat(driver.findElement(By.id("groups")).getText()).contains("java.lang.IllegalStateException");

                // The cluster view (its source stands in for a broker here; the CLI's
                // ClusterCommandsTest reads a real one): hosts and queues, the done count moving.
                wait.until(d -> d.findElement(By.id("cluster-hosts")).getText().contains("browser-host"));
                assertThat(driver.findElement(By.id("cluster-name")).getText()).contains("tcp://127.0.0.1:61616");
                assertThat(driver.findElement(By.id("cluster-hosts")).getText()).contains("4242").contains("7 8");
                assertThat(driver.findElement(By.id("cluster-queues")).getText()).contains("forklift.tasks");
                final String hostsBefore = driver.findElement(By.id("cluster-hosts")).getText();
                wait.until(d -> !d.findElement(By.id("cluster-hosts")).getText().equals(hostsBefore));

                final File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
                final Path kept = Path.of("target", "dashboard-browser.png");
                Files.createDirectories(kept.getParent());
                Files.copy(shot.toPath(), kept, StandardCopyOption.REPLACE_EXISTING);
                assertThat(Files.size(kept)).isPositive();
            } finally {
                driver.quit();
                running.set(false);
            }
        }
    }

    /** A cluster of one host whose done count grows by 10 a read, and one queue. */
    private static final class StubCluster implements ClusterSource {
        private final java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public String name() {
            return "tcp://127.0.0.1:61616";
        }

        @Override
        public ClusterView read() {
            return new ClusterView(List.of(new ClusterView.Host("browser-host", 4242, 2, List.of(7L, 8L),
                done.addAndGet(10), 1, 300)), List.of(new ClusterView.BrokerQueue("forklift.tasks", 5, 1)));
        }
    }

    private static int points(final WebDriver driver) {
        final String value = driver.findElement(By.tagName("body")).getAttribute("data-points");
        return value == null ? 0 : Integer.parseInt(value);
    }

    private static WebDriver startBrowser() {
        final ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1280,1600");
        return new ChromeDriver(service, options);
    }
}
