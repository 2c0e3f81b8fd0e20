package io.lowrank.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reports in a real headless Chromium (Debian's {@code chromium} package; {@code .ci/run} installs it): each page
 * renders to a screenshot that is not blank, and after the load event its own script counts the images the browser
 * could not decode ({@code data-broken-images}, read back with {@code --dump-dom}), which must be 0 of the number
 * expected. A page with a corrupt image shows the check can fail. Skipped, saying so, only on a machine without a
 * chromium binary; on CI (CI=true) a missing browser fails the test instead.
 */
class HtmlReportBrowserTest {
  private static String chromium;

  @BeforeAll
  static void findChromium() {
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
        if (Files.isExecutable(Path.of(dir, name))) {
          chromium = Path.of(dir, name).toString();
          return;
        }
      }
    }
    if ("true".equals(System.getenv("CI"))) {
      fail("no chromium binary on PATH: .ci/run installs Debian's chromium package");
    }
  }

  private static void requireChromium() {
    assumeTrue(chromium != null, "no chromium binary on PATH (apt-get install chromium): the browser checks are "
        + "skipped on this machine");
  }

  @Test
  void aSingleRunReportRendersWithEveryImage(@TempDir Path tmp) throws Exception {
    requireChromium();
    checkRenders(tmp, "run.html", HtmlReportTest.runPage(), 2);
  }

  @Test
  void aSweepReportRendersWithItsHeatMapsAndPanel(@TempDir Path tmp) throws Exception {
    requireChromium();
    checkRenders(tmp, "sweep.html", HtmlReportTest.sweepPage(), 1);
  }

  @Test
  void aLandscapeSweepReportRendersItsPhaseDiagram(@TempDir Path tmp) throws Exception {
    requireChromium();
    checkRenders(tmp, "landscape.html", HtmlReportTest.landscapePage(), 0);
  }

  @Test
  void aCorruptImageIsCaught(@TempDir Path tmp) throws Exception {
    requireChromium();
    String html = new HtmlPage("broken").image("truncated", new byte[] {(byte) 0x89, 'P', 'N', 'G'}).render();
    Path page = tmp.resolve("broken.html");
    Files.writeString(page, html);
    assertEquals("1 of 1", brokenImages(tmp, page));
  }

  /** Renders {@code html}: a screenshot with some drawing in it, and none of the {@code images} broken. */
  private static void checkRenders(Path tmp, String name, String html, int images) throws Exception {
    Path page = tmp.resolve(name);
    Files.writeString(page, html, StandardCharsets.UTF_8);
    assertEquals("0 of " + images, brokenImages(tmp, page));

    Path shot = tmp.resolve(name + ".png");
    run(tmp, "--screenshot=" + shot, "--window-size=1280,1600", page.toUri().toString());
    BufferedImage img = ImageIO.read(shot.toFile());
    assertTrue(img != null && img.getWidth() == 1280, "a 1280 px wide screenshot");
    // Not blank: a rendered report has text, tables, heat-map cells and plot lines, i.e. many colours and a good
    // share of non-white pixels; an empty or failed page is one colour.
    Set<Integer> colours = new HashSet<>();
    long inked = 0;
    for (int y = 0; y < img.getHeight(); y += 2) {
      for (int x = 0; x < img.getWidth(); x += 2) {
        int rgb = img.getRGB(x, y) & 0xFFFFFF;
        colours.add(rgb);
        inked += rgb == 0xFFFFFF ? 0 : 1;
      }
    }
    long sampled = (long) (img.getHeight() / 2) * (img.getWidth() / 2);
    assertTrue(colours.size() > 50, "colours in the screenshot: " + colours.size());
    assertTrue(inked > sampled / 50, "non-white pixels: " + inked + " of " + sampled);
  }

  private static final Pattern MARK = Pattern.compile("data-images=\"(\\d+)\" data-broken-images=\"(\\d+)\"");

  /** "K of N": the page's own count after load (see {@link HtmlPage}). */
  private static String brokenImages(Path tmp, Path page) throws Exception {
    String dom = run(tmp, "--virtual-time-budget=5000", "--dump-dom", page.toUri().toString());
    Matcher m = MARK.matcher(dom);
    assertTrue(m.find(), "the page's load script did not run; DOM starts:\n"
        + dom.substring(0, Math.min(400, dom.length())));
    return m.group(2) + " of " + m.group(1);
  }

  /** Runs headless Chromium with {@code args}; returns its stdout. */
  private static String run(Path tmp, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
        "--hide-scrollbars", "--user-data-dir=" + tmp.resolve("profile")));
    cmd.addAll(List.of(args));
    Path out = tmp.resolve("chromium.out");
    Path err = tmp.resolve("chromium.err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium did not finish in 120 s: " + String.join(" ", cmd));
    }
    assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(err));
    return Files.readString(out);
  }
}
