package dev.offramp.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offramp.benchmarks.report.Json;
import dev.offramp.benchmarks.testing.TinyIdx;
import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.exporter.graph.OnnxGraphBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression for issue 11 item 1: {@code build}, {@code run} and {@code bench} on a backbone far
 * deeper than the demo (201 residual blocks, ~1,000 nodes), each in its own JVM started the way a
 * user's launcher starts it: a long command line (the whole test classpath plus padding, over
 * 20,000 characters) and the default 1 MB thread stacks. Before {@code OrtRuntime} these JVMs died
 * with SIGSEGV (exit 139) when the first thread touched ONNX Runtime: its telemetry start-up
 * recurses once per command-line character. {@code ORT_DISABLE_TELEMETRY} is removed from the
 * children's environment so that the launchers' workaround cannot hide a regression.
 */
class DeepBackboneCommandsTest {
  private static final int BLOCKS_PER_STAGE = 67;
  private static final int MIN_COMMAND_LINE = 20_000;

  @TempDir static Path dir;
  static Path backbone;
  static String data;
  static Path bundle;

  @BeforeAll
  static void buildTheBundleFromADeepBackbone() throws Exception {
    backbone = deepBackbone(dir.resolve("deep.onnx"));
    data = TinyIdx.write(dir.resolve("data"), 400, 60, 11);
    bundle = dir.resolve("bundle");
    Result build =
        java(
            "dev.offramp.exporter.cli.ToolsMain",
            "build",
            "--backbone",
            backbone.toString(),
            "--data",
            data,
            "--out",
            bundle.toString(),
            "--epochs",
            "1",
            "--margins",
            "0,0.05",
            "--min-support",
            "5",
            "--skip-test");
    assertEquals(0, build.code(), build::output);
  }

  /** Stem, then three stages of 67 residual blocks (4@28², 8@14², 16@7²), GAP, Gemm. */
  static Path deepBackbone(Path file) throws IOException {
    OnnxGraphBuilder b = new OnnxGraphBuilder("deep-resnet-201", 17, 7);
    String x = b.relu(b.conv(b.input("image", 1, 28, 28), 4, 3, 1, 1));
    int channels = 4;
    for (int stage = 0; stage < 3; stage++) {
      if (stage > 0) {
        channels *= 2;
        x = b.relu(b.conv(x, channels, 3, 2, 1));
      }
      for (int i = 0; i < BLOCKS_PER_STAGE; i++) {
        // Residual branch scaled down so 67 random blocks in a row keep activations finite.
        String y = b.conv(b.relu(b.conv(x, channels, 3, 1, 1)), channels, 3, 1, 1);
        x = b.relu(b.add(x, b.mul(y, b.parameter(0.05f))));
      }
    }
    b.output(b.gemm(b.flatten(b.globalAveragePool(x)), 10));
    Files.write(file, b.build().toByteArray());
    return file;
  }

  @Test
  void buildCutsTheDeepBackboneIntoAVerifiedThreeStageBundle() throws Exception {
    Bundle opened = Bundle.open(bundle);
    assertEquals(3, opened.manifest().stages().size());
    java.util.Set<String> profiles = opened.manifest().profiles().keySet();
    assertTrue(profiles.containsAll(List.of("m0", "m0.05")), profiles::toString);
    Result verify =
        java(
            "dev.offramp.exporter.cli.ToolsMain",
            "verify",
            bundle.toString(),
            "--backbone",
            backbone.toString(),
            "--samples",
            "2");
    assertEquals(0, verify.code(), verify::output);
    assertTrue(verify.output().contains("PASS: 3 stages"), verify::output);
  }

  @Test
  void runClassifiesEveryFrameOfTheVideoAndPublishesEachResult() throws Exception {
    Path video = repositoryRoot().resolve("demo/frames/fashion-test.mp4");
    int port = freePort();
    Path broker = Files.createDirectories(dir.resolve("broker"));
    Files.writeString(
        broker.resolve("mosquitto.conf"),
        "listener " + port + " 127.0.0.1\nallow_anonymous true\nuser root\n");
    Process mosquitto =
        new ProcessBuilder("/usr/sbin/mosquitto", "-c", broker.resolve("mosquitto.conf").toString())
            .redirectErrorStream(true)
            .redirectOutput(broker.resolve("mosquitto.log").toFile())
            .start();
    try {
      awaitPort(port, mosquitto);
      Path received = broker.resolve("results.txt");
      Process sub =
          new ProcessBuilder(
                  "mosquitto_sub",
                  "-h",
                  "127.0.0.1",
                  "-p",
                  Integer.toString(port),
                  "-t",
                  "offramp/deep/cam0/result",
                  "-C",
                  "300",
                  "-W",
                  "120")
              .redirectErrorStream(true)
              .redirectOutput(received.toFile())
              .start();
      Thread.sleep(300); // the subscription must exist before the first result (QoS 1, no retain)
      Result run =
          java(
              "dev.offramp.runtime.cli.RuntimeMain",
              "run",
              "--bundle",
              bundle.toString(),
              "--source",
              video.toString(),
              "--device-id",
              "deep",
              "--mqtt-url",
              "tcp://127.0.0.1:" + port,
              "--http-port",
              Integer.toString(freePort()),
              "--state-dir",
              dir.resolve("state").toString());
      assertEquals(0, run.code(), run::output);
      assertTrue(sub.waitFor(60, TimeUnit.SECONDS), "mosquitto_sub did not get 300 results");
      List<String> lines = Files.readAllLines(received);
      assertEquals(300, lines.size(), () -> String.join("\n", lines));
      assertTrue(lines.get(299).contains("\"seq\":300"), lines.get(299));
    } finally {
      mosquitto.destroy();
      mosquitto.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void benchComparesTheDeepBackboneWithItsCascadeAndWritesTheJson() throws Exception {
    Path json = dir.resolve("bench/bench.json");
    Result bench =
        java(
            "dev.offramp.benchmarks.BenchMain",
            "--bundle",
            bundle.toString(),
            "--backbone",
            backbone.toString(),
            "--data",
            data,
            "--limit",
            "20",
            "--warmup",
            "2",
            "--energy-root",
            dir.toString(),
            "--json",
            json.toString());
    assertEquals(0, bench.code(), bench::output);
    JsonNode r = Json.read(json);
    assertEquals(20, r.get("frames").asInt());
    assertEquals("monolithic", r.get("variants").get(0).get("name").asText());
    assertTrue(r.get("chain_overhead_ratio").asDouble() > 0, r::toString);
  }

  record Result(int code, String output) {}

  /** Runs {@code main} in a fresh JVM with a long command line and default stacks. */
  static Result java(String main, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xss1m");
    command.add("-Xmx1g");
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    int length = command.stream().mapToInt(String::length).sum();
    if (length < MIN_COMMAND_LINE) {
      command.add("-Dofframp.test.padding=" + "x".repeat(MIN_COMMAND_LINE - length));
    }
    command.add(main);
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("ORT_DISABLE_TELEMETRY");
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("JDK_JAVA_OPTIONS");
    Path log = Files.createTempFile(dir, "java-", ".log");
    Process p = pb.redirectOutput(log.toFile()).start();
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(main + " did not finish in 3 minutes: " + Files.readString(log));
    }
    String output = Files.readString(log);
    return new Result(p.exitValue(), "exit " + p.exitValue() + " from " + main + ":\n" + output);
  }

  static Path repositoryRoot() {
    Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    return module.toAbsolutePath().getParent();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static void awaitPort(int port, Process owner) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!owner.isAlive()) {
        throw new AssertionError("mosquitto exited with " + owner.exitValue());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("mosquitto did not listen on " + port + " within 10 s");
  }
}
