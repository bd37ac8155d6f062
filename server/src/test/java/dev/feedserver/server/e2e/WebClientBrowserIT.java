package dev.feedserver.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web client in a real browser: Debian's headless Chromium, driven through Debian's
 * chromedriver by Selenium, against the real jar. It loads {@code /}, sees a page of feed cards,
 * likes several cards of one topic (scrolling for more when the first page has too few), reloads
 * the page, and expects more cards of that topic on the user's new first page than on the first
 * one: the server learned from the clicks. It also checks the page fits a phone-sized viewport,
 * and saves screenshots in the failsafe reports folder. Skipped, saying why, where Chromium or
 * chromedriver is not installed ({@code .ci/run} installs both).
 */
class WebClientBrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final int PAGE = 20;
    private static final int LIKES = 6;

    @TempDir
    static Path dataDir;
    private static ServerProcess server;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "WebClientBrowserIT skipped: needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run installs them)");
        server = ServerProcess.start(dataDir, "--users", "300", "--items", "800", "--topics", "8", "--factors", "16",
                "--iterations", "6", "--content-encoder", "hashing", "--ranker-queries", "300", "--ranker-epochs", "1",
                "--ranker-hidden", "32,16");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1400");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void likesOnOneTopicBringMoreOfItAfterAReload() throws Exception {
        browser.get("http://127.0.0.1:" + server.port() + "/?user=u11");
        List<WebElement> firstPage = waitForCards(PAGE).subList(0, PAGE);
        Map<String, Integer> before = topics(firstPage);
        String topic = pickTopic(before);

        int liked = likeCardsOf(topic);
        assertTrue(liked >= 3, "found only " + liked + " cards of '" + topic + "' to like");
        assertEquals(liked, browser.findElements(By.cssSelector("#event-log li")).stream()
                .filter(li -> li.getText().startsWith("like ")).count(), "the panel lists every like");
        assertTrue(browser.findElement(By.id("shift")).getText().contains(topic), "the shift panel shows the liked topic");
        screenshot("web-client.png");

        browser.navigate().refresh(); // the same user (the page keeps ?user=); its first page comes fresh from the server
        Map<String, Integer> after = topics(waitForCards(PAGE).subList(0, PAGE));
        int countBefore = before.getOrDefault(topic, 0);
        int countAfter = after.getOrDefault(topic, 0);
        System.out.println("WebClientBrowserIT: liked " + liked + " cards of '" + topic + "'; first page before " + before
                + ", after reload " + after);
        assertTrue(countAfter > countBefore, "'" + topic + "' on the first page: " + countBefore + " before the likes, " + countAfter + " after");
        screenshot("web-client-after-reload.png");

        browser.manage().window().setSize(new Dimension(390, 844)); // a phone
        long overflow = (Long) ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth - window.innerWidth;");
        assertTrue(overflow <= 0, "the page scrolls sideways on a phone by " + overflow + " px");
        screenshot("web-client-phone.png");
    }

    /** A topic with room to grow: the most frequent one with at most 4 cards on the first page. */
    private static String pickTopic(Map<String, Integer> counts) {
        return counts.entrySet().stream()
                .filter(e -> e.getValue() <= 4)
                .max(Map.Entry.comparingByValue())
                .or(() -> counts.entrySet().stream().min(Map.Entry.comparingByValue()))
                .orElseThrow()
                .getKey();
    }

    /** Likes up to {@link #LIKES} cards of {@code topic}, one at a time, scrolling for more pages as needed. */
    private static int likeCardsOf(String topic) {
        int liked = 0;
        for (int page = 1; page <= 6 && liked < LIKES; page++) {
            for (WebElement card : browser.findElements(By.cssSelector("#cards li.card[data-topic='" + topic + "']:not(.reacted)"))) {
                if (liked == LIKES) {
                    break;
                }
                card.findElement(By.cssSelector("button[data-event='like']")).click();
                new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> card.getDomAttribute("class").contains("reacted-like"));
                liked++;
            }
            if (liked < LIKES) {
                int shown = browser.findElements(By.cssSelector("#cards li.card")).size();
                ((JavascriptExecutor) browser).executeScript("document.getElementById('sentinel').scrollIntoView();");
                waitForCards(shown + 1);
            }
        }
        return liked;
    }

    private static List<WebElement> waitForCards(int atLeast) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.findElements(By.cssSelector("#cards li.card")).size() >= atLeast);
        return browser.findElements(By.cssSelector("#cards li.card"));
    }

    private static Map<String, Integer> topics(List<WebElement> cards) {
        Map<String, Integer> counts = new TreeMap<>();
        cards.forEach(card -> counts.merge(card.getDomAttribute("data-topic"), 1, Integer::sum));
        return counts;
    }

    private static void screenshot(String name) throws Exception {
        Path reports = Path.of(System.getProperty("feedserver.reports", "target/failsafe-reports"));
        Files.createDirectories(reports);
        byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(reports.resolve(name), png);
    }
}
