package dev.offramp.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offramp.cascade.testing.TestBundles;
import dev.offramp.runtime.testing.Broker;
import dev.offramp.runtime.testing.DaemonProcess;
import dev.offramp.runtime.testing.Media;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs of the real daemon (a child JVM) against a real Mosquitto, with the same state directory
 * across runs: in the first connect to a broker that accepts TCP and never answers, during a
 * replay, and at random moments. Each test counts the results lost (gaps in a session's seq) and
 * sent twice.
 */
class CrashTest {
  /** The acknowledgement window: the most a crash may resend (BrokerLink.WINDOW). */
  static final int WINDOW = 16;

  @TempDir Path tmp;
  Path bundle;
  Path video;
  Path state;
  Broker broker;
  Results sub;
  SilentBroker silent;
  final List<Process> daemons = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    bundle = TestBundles.write(Files.createDirectories(tmp.resolve("bundle")));
    video = Media.mp4(tmp, Media.grayImages(10, 28, 28), 28, 28, 10);
    state = tmp.resolve("state");
    broker = new Broker(tmp.resolve("broker")).start();
    sub = new Results(broker.url());
    silent = new SilentBroker();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Process p : daemons) {
      p.destroyForcibly();
    }
    silent.close();
    sub.close();
    broker.close();
  }

  /**
   * Collects result payloads with a persistent session. Messages the broker redelivers to this
   * subscriber (DUP flag, after a hiccup of this client's own connection) are not the daemon's
   * resends and are left out of the count.
   */
  static final class Results implements AutoCloseable {
    final MqttClient client;
    final List<JsonNode> results = new CopyOnWriteArrayList<>();
    final ObjectMapper json = new ObjectMapper();

    Results(String url) throws MqttException {
      client = new MqttClient(url, "crash-sub", new MemoryPersistence());
      MqttConnectOptions o = new MqttConnectOptions();
      o.setCleanSession(false);
      o.setAutomaticReconnect(true);
      o.setMaxInflight(1000);
      client.setCallback(
          new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void messageArrived(String topic, MqttMessage m) throws Exception {
              if (topic.endsWith("/result") && !m.isDuplicate()) {
                results.add(json.readTree(m.getPayload()));
              }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
          });
      client.connect(o);
      client.subscribe("offramp/+/+/result", 1);
    }

    void awaitAny(int seconds) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (results.isEmpty()) {
        assertTrue(System.nanoTime() < deadline, "no result within " + seconds + " s");
        Thread.sleep(10);
      }
    }

    @Override
    public void close() throws MqttException {
      client.disconnectForcibly(1000);
      client.close();
    }
  }

  /** A TCP server that accepts connections and never answers (a hung broker). */
  static final class SilentBroker implements AutoCloseable {
    final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final List<Socket> held = new CopyOnWriteArrayList<>();
    final Thread acceptor;

    SilentBroker() throws IOException {
      acceptor =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try {
                    held.add(server.accept());
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "silent-broker");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String url() {
      return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : held) {
        s.close();
      }
    }
  }

  private Process daemon(String name, String url, int maxFps) throws Exception {
    List<String> a =
        new ArrayList<>(
            List.of("run", "--bundle", bundle.toString(), "--source", video.toString(), "--loop"));
    a.addAll(List.of("--device-id", "crash", "--mqtt-url", url, "--http-port", "0"));
    a.addAll(List.of("--state-dir", state.toString(), "--max-fps", Integer.toString(maxFps)));
    Process p = DaemonProcess.start(tmp.resolve(name + ".log"), a.toArray(String[]::new));
    daemons.add(p);
    return p;
  }

  private static void kill(Process p) throws InterruptedException {
    p.destroyForcibly(); // SIGKILL
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
  }

  /** Rows in the daemon's store now (read next to the running daemon; WAL allows it). */
  private long stored() {
    Path db = state.resolve("mqtt-buffer").resolve("results.db");
    if (!Files.exists(db)) {
      return 0;
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM results")) {
      return rs.next() ? rs.getLong(1) : 0;
    } catch (SQLException e) {
      return 0; // not created yet
    }
  }

  private void awaitStored(long n, Process p, String name) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (stored() < n) {
      if (System.nanoTime() > deadline || !p.isAlive()) {
        throw new AssertionError(
            "store holds "
                + stored()
                + " of "
                + n
                + "; log:\n"
                + Files.readString(tmp.resolve(name + ".log")));
      }
      Thread.sleep(20);
    }
  }

  private void awaitLog(String name, String text, Process p) throws Exception {
    Path log = tmp.resolve(name + ".log");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(log) || !Files.readString(log).contains(text)) {
      if (System.nanoTime() > deadline || !p.isAlive()) {
        throw new AssertionError("no '" + text + "' in " + log + ":\n" + Files.readString(log));
      }
      Thread.sleep(20);
    }
  }

  /** Per session: seqs received (with duplicates counted). */
  record Tally(Map<String, TreeSet<Long>> seqs, int messages) {
    long lost() {
      long gaps = 0;
      for (TreeSet<Long> s : seqs.values()) {
        gaps += s.last() - s.size();
      }
      return gaps;
    }

    long distinct() {
      return seqs.values().stream().mapToLong(TreeSet::size).sum();
    }

    long duplicates() {
      return messages - distinct();
    }
  }

  private Tally tally() {
    Map<String, TreeSet<Long>> seqs = new HashMap<>();
    int n = 0;
    for (JsonNode r : sub.results) {
      seqs.computeIfAbsent(r.get("session").asText(), k -> new TreeSet<>())
          .add(r.get("seq").asLong());
      n++;
    }
    return new Tally(seqs, n);
  }

  /** Runs a daemon against the real broker until the store is empty, then stops it cleanly. */
  private void drainAndStop(String name) throws Exception {
    Process p = daemon(name, broker.url(), 5);
    awaitLog(name, "running bundle", p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Thread.sleep(1000);
    while (stored() > 0) {
      assertTrue(System.nanoTime() < deadline, "store not drained: " + stored());
      Thread.sleep(50);
    }
    p.destroy(); // SIGTERM
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    Thread.sleep(300);
  }

  @Test
  void sigkillDuringTheFirstConnectToASilentBrokerLosesNothing() throws Exception {
    Process first = daemon("first", silent.url(), 100);
    awaitStored(150, first, "first");
    kill(first);
    long keptAtKill = stored();
    drainAndStop("second");
    Tally t = tally();
    System.out.printf(
        "first connect: %d stored at SIGKILL; received %d distinct, %d lost, %d duplicates%n",
        keptAtKill, t.distinct(), t.lost(), t.duplicates());
    assertEquals(0, t.lost(), "gaps in a session's seq");
    assertTrue(t.distinct() >= keptAtKill, "every stored result arrived");
    assertEquals(0, t.duplicates(), "nothing was sent before the kill, so nothing twice");
  }

  @Test
  void sigkillDuringAReplayResendsAtMostTheWindowAndLosesNothing() throws Exception {
    Process offline = daemon("offline", "tcp://127.0.0.1:" + freePort(), 0);
    awaitStored(3000, offline, "offline");
    offline.destroy();
    assertTrue(offline.waitFor(10, TimeUnit.SECONDS));
    long backlog = stored();
    Process replaying = daemon("replay", broker.url(), 1);
    sub.awaitAny(60);
    Thread.sleep(300);
    kill(replaying);
    long afterKill = stored();
    drainAndStop("after");
    Tally t = tally();
    System.out.printf(
        "replay: backlog %d, %d left at SIGKILL 0.3 s in; received %d distinct, %d lost,"
            + " %d duplicates%n",
        backlog, afterKill, t.distinct(), t.lost(), t.duplicates());
    assertEquals(0, t.lost());
    assertTrue(t.distinct() >= backlog);
    // The bound is per interruption: the kill, plus any connection the replaying or the draining
    // daemon lost and made again on its own (a loaded machine can miss a keep-alive); each
    // resends at most the window.
    long interruptions = connects("replay") + connects("after") - 1;
    assertTrue(
        t.duplicates() <= WINDOW * interruptions,
        t.duplicates() + " duplicates for " + interruptions + " interruption(s)");
  }

  /** How often the daemon logged as {@code name} connected to the broker. */
  private long connects(String name) throws IOException {
    try (var lines = Files.lines(tmp.resolve(name + ".log"))) {
      return lines.filter(l -> l.contains("MQTT connected to")).count();
    }
  }

  @Test
  void twentySigkillsAtRandomMomentsLoseNothingAndDuplicateWithinTheWindowEach() throws Exception {
    Random random = new Random(20261130L);
    int kills = 0;
    int connectedKills = 0;
    for (int i = 0; i < 20; i++) {
      int mode = random.nextInt(3);
      String url =
          switch (mode) {
            case 0 -> silent.url(); // first connect that never completes
            case 1 -> "tcp://127.0.0.1:" + freePort(); // broker down: outage
            default -> broker.url(); // connected: live results and replay of earlier ones
          };
      // Uniform over start-up (store opening, first connect) and the first seconds of running.
      Process p = daemon("run" + i, url, 100);
      Thread.sleep(1000 + random.nextInt(4500));
      kill(p);
      kills++;
      if (mode == 2) {
        connectedKills++;
      }
    }
    drainAndStop("final");
    Tally t = tally();
    System.out.printf(
        "random: %d SIGKILLs (%d while connected), %d sessions, %d distinct, %d lost,"
            + " %d duplicates%n",
        kills, connectedKills, t.seqs().size(), t.distinct(), t.lost(), t.duplicates());
    assertEquals(0, t.lost(), "gaps in a session's seq");
    assertTrue(t.seqs().size() >= 6, "enough runs produced results: " + t.seqs().size());
    assertTrue(
        t.duplicates() <= (long) WINDOW * connectedKills,
        t.duplicates() + " duplicates for " + connectedKills + " kills while connected");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
