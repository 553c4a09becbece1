package dev.offramp.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offramp.cascade.testing.TestBundles;
import dev.offramp.runtime.testing.DaemonProcess;
import dev.offramp.runtime.testing.HeadlessChromium;
import dev.offramp.runtime.testing.Media;
import dev.offramp.runtime.testing.PastedCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
  @TempDir Path tmp;

  /** The demo in process, unpaced, for 50 frames: what it prints and its final accuracy. */
  @Test
  void demoRunsEndToEndForFiftyFramesAndReportsAccuracy() throws Exception {
    List<String> args =
        new ArrayList<>(List.of("demo", "--frames", "50", "--http-port", "0", "--max-fps", "0"));
    args.addAll(demoInputs());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        RuntimeMain.execute(
            new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    assertEquals(0, code, err.toString());
    String printed = out.toString();
    Matcher sub =
        Pattern.compile("mosquitto_sub -h 127\\.0\\.0\\.1 -p (\\d+) -t 'offramp/#' -v")
            .matcher(printed);
    assertTrue(sub.find(), printed);
    assertTrue(printed.contains("live page: http://127.0.0.1:"), printed);
    Matcher fin = Pattern.compile("final: frames 50  accuracy (\\d+\\.\\d)%").matcher(printed);
    assertTrue(fin.find(), printed);
  }

  /**
   * The demo as a user runs it (its own JVM, default pacing of 10 fps, until Ctrl-C): the MQTT line
   * it prints, pasted into a shell, prints results whose latency is the frame's own; the live page
   * it prints, opened in headless Chromium, shows results streaming under a connected header.
   */
  @Test
  void printedMqttLineAndLivePageWorkAsPastedWhileResultsStream() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/mosquitto_sub")), "mosquitto-clients not installed");
    Assumptions.assumeTrue(HeadlessChromium.available(), "chromium not installed");
    List<String> args = new ArrayList<>(List.of("demo", "--http-port", "0"));
    args.addAll(demoInputs());
    Path log = tmp.resolve("demo.log");
    Process demo = DaemonProcess.start(log, args.toArray(String[]::new));
    try {
      String printed = awaitPrinted(demo, log, "live page: http://", 60);
      Matcher mqtt = Pattern.compile("MQTT: +(mosquitto_sub .*)").matcher(printed);
      assertTrue(mqtt.find(), printed);
      try (PastedCommand sub = PastedCommand.start(mqtt.group(1).strip())) {
        double[] totals = new double[5];
        for (int i = 0; i < totals.length; i++) {
          String line = sub.await(l -> l.startsWith("offramp/demo/cam0/result {"), 30);
          JsonNode result = new ObjectMapper().readTree(line.substring(line.indexOf(' ') + 1));
          assertEquals("offramp-result/1", result.path("schema").asText(), line);
          JsonNode latency = result.path("latency_ms");
          totals[i] = latency.path("total").asDouble();
          assertTrue(
              totals[i]
                  >= latency.path("preprocess").asDouble() + latency.path("inference").asDouble(),
              line);
        }
        // Paced at 10 fps, a decode-time stamp made total about two periods (~200 ms).
        Arrays.sort(totals);
        assertTrue(totals[2] < 20, "median total is the frame's own: " + Arrays.toString(totals));
      }
      Matcher page = Pattern.compile("live page: (http://127\\.0\\.0\\.1:\\d+/)").matcher(printed);
      assertTrue(page.find(), printed);
      try (HeadlessChromium chromium = HeadlessChromium.open(page.group(1), tmp.resolve("chr"))) {
        Set<String> shown = new HashSet<>();
        List<String> samples = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (shown.size() < 3 && System.nanoTime() < deadline) {
          String s =
              chromium.evaluate(
                  "document.readyState === 'complete' ? [\"conn\", \"label\", \"latency\"]"
                      + ".map(function (id) { return document.getElementById(id).textContent; })"
                      + ".join(' | ') : 'loading'");
          samples.add(s);
          if (s.startsWith("live | ")) {
            shown.add(s);
          }
          Thread.sleep(150);
        }
        assertTrue(
            shown.size() >= 3,
            "three different results under a 'live' header within 30 s; the page showed: "
                + samples);
        // Ctrl-C: the daemon stops in order, and the page stops claiming to be live.
        demo.destroy();
        assertTrue(demo.waitFor(15, TimeUnit.SECONDS), "the demo stops on SIGTERM");
        assertEquals(0, demo.exitValue(), "an orderly stop: " + Files.readString(log));
        String conn = "";
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!conn.startsWith("reconnecting") && System.nanoTime() < deadline) {
          conn = chromium.evaluate("document.getElementById('conn').textContent");
          Thread.sleep(100);
        }
        assertTrue(conn.startsWith("reconnecting"), "header after the daemon stopped: " + conn);
      }
    } finally {
      if (demo.isAlive()) {
        demo.destroyForcibly().waitFor();
      }
    }
  }

  /** Waits until the demo's output contains {@code marker}; returns the output so far. */
  private static String awaitPrinted(Process demo, Path log, String marker, long seconds)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    String printed = "";
    while (System.nanoTime() < deadline) {
      printed = Files.exists(log) ? Files.readString(log) : "";
      if (printed.contains(marker)) {
        return printed;
      }
      if (!demo.isAlive()) {
        break;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "the demo did not print '" + marker + "' (alive: " + demo.isAlive() + "): " + printed);
  }

  /**
   * The demo's inputs: the committed demo directory when it holds a bundle, else the cascade test
   * bundle with an FFmpeg-made video and labels of its own.
   */
  private List<String> demoInputs() throws Exception {
    Path demo = Path.of("../demo").toAbsolutePath().normalize();
    if (Files.isRegularFile(demo.resolve("fashion-resnet18/bundle/manifest.json"))) {
      return List.of("--demo-dir", demo.toString());
    }
    Path bundle = TestBundles.write(Files.createDirectories(tmp.resolve("bundle")));
    Path video = Media.grayMp4(tmp, 20);
    StringBuilder csv = new StringBuilder("frame_index,label_id,label\n");
    for (int i = 0; i < 20; i++) {
      csv.append(i)
          .append(',')
          .append(i % 10)
          .append(',')
          .append(TestBundles.CLASSES.get(i % 10))
          .append('\n');
    }
    Path labels = Files.writeString(tmp.resolve("labels.csv"), csv);
    return List.of(
        "--bundle", bundle.toString(), "--source", video.toString(), "--labels", labels.toString());
  }
}
