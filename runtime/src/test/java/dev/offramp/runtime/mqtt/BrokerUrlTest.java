package dev.offramp.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.cascade.testing.TestBundles;
import dev.offramp.runtime.cli.RuntimeMain;
import dev.offramp.runtime.testing.Media;
import dev.offramp.runtime.testing.Records;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code mqtt.broker-url} is checked at start-up: scheme, host, port 1..65535. */
class BrokerUrlTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "tcp://127.0.0.1:notaport | port 'notaport' is not a number",
        "tcp://127.0.0.1:0        | port 0 is outside 1-65535",
        "tcp://127.0.0.1:70000    | port 70000 is outside 1-65535",
        "tcp://:1883              | no host",
        "ws://127.0.0.1:1883      | scheme 'ws' is not tcp or ssl",
        "127.0.0.1:1883           | found '127.0.0.1:1883'",
        "tcp://user:pw@host:1883  | user info",
        "tcp://host:1883/path     | path",
        "tcp://ho st:1883         | expected tcp://HOST:PORT",
      })
  void aBadBrokerUrlIsRefusedNamingTheKeyAndWhatIsWrong(String url, String expected) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Records.with(MqttSettings.defaults("d", Path.of("/tmp")), "brokerUrl", url));
    assertTrue(e.getMessage().startsWith("mqtt.broker-url: "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void goodBrokerUrlsAreAccepted() {
    for (String url :
        new String[] {"tcp://127.0.0.1:1883", "tcp://broker.local", "tcp://[::1]:1883"}) {
      assertEquals(
          url,
          Records.with(MqttSettings.defaults("d", Path.of("/tmp")), "brokerUrl", url).brokerUrl());
    }
  }

  @Test
  void theDaemonRefusesToStartWithNotaportInsteadOfRetryingForever(@TempDir Path tmp)
      throws Exception {
    Path bundle = TestBundles.write(Files.createDirectories(tmp.resolve("bundle")));
    Path video = Media.mp4(tmp, Media.grayImages(2, 28, 28), 28, 28, 10);
    StringWriter err = new StringWriter();
    int code =
        RuntimeMain.execute(
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "run",
            "--bundle",
            bundle.toString(),
            "--source",
            video.toString(),
            "--mqtt-url",
            "tcp://127.0.0.1:notaport",
            "--http-port",
            "0",
            "--state-dir",
            tmp.resolve("state").toString());
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains("mqtt.broker-url"), err.toString());
    assertTrue(err.toString().contains("notaport"), err.toString());
  }
}
