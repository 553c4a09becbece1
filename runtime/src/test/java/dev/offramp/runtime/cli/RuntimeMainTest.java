package dev.offramp.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.cascade.testing.TestBundles;
import dev.offramp.runtime.testing.Media;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuntimeMainTest {
  @TempDir Path tmp;

  record Outcome(int code, String err) {}

  static Outcome run(String... args) {
    StringWriter err = new StringWriter();
    int code =
        RuntimeMain.execute(
            new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
    return new Outcome(code, err.toString());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "unknown key     | 'mqtt: {qos: 1}'                  | mqtt.qos: unknown key",
        "wrong type      | 'http: {port: eighty}'            | http.port: expected an integer from 0 to 65535, found 'eighty'",
        "bad enum value  | 'mqtt: {buffer-fsync: sometimes}' | mqtt.buffer-fsync: expected always, periodic or never, found 'sometimes'",
        "missing bundle  | 'bundle: {path: /nonexistent/b}'  | bundle.path: expected an existing bundle directory, found '/nonexistent/b'",
        "not a bundle    | 'bundle: {path: EMPTY}'           | manifest.json",
        "missing file    | MISSING                           | no such configuration file",
      })
  void badConfigurationStopsStartUpWithTheKeyNamed(String what, String yaml, String expected)
      throws Exception {
    Path bundle = TestBundles.write(Files.createDirectories(tmp.resolve("bundle")));
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Path video = Media.grayMp4(tmp, 2);
    Path config = tmp.resolve("config.yaml");
    if (!yaml.equals("MISSING")) {
      String body = yaml.replace("EMPTY", empty.toString());
      if (!body.startsWith("bundle")) {
        body += "\nbundle: {path: " + bundle + "}";
      }
      Files.writeString(config, body + "\nsource: {uri: " + video + "}\nstate-dir: " + tmp + "\n");
    }
    Outcome o = run("run", "--config", config.toString());
    assertEquals(2, o.code(), what + ": " + o.err());
    assertTrue(o.err().contains(expected), what + ": " + o.err());
    assertEquals(1, o.err().strip().lines().count(), "one line: " + o.err());
  }

  @Test
  void unknownFlagIsAUsageError() {
    Outcome o = run("run", "--frobnicate");
    assertEquals(2, o.code());
    assertTrue(o.err().contains("--frobnicate"), o.err());
  }

  @Test
  void fileSourceWithoutLoopEndsTheRunCleanly() throws Exception {
    Path bundle = TestBundles.write(Files.createDirectories(tmp.resolve("bundle")));
    Path video = Media.grayMp4(tmp, 5);
    List<String> args =
        new ArrayList<>(
            List.of("run", "--bundle", bundle.toString(), "--source", video.toString()));
    args.addAll(
        List.of(
            "--state-dir",
            tmp.resolve("state").toString(),
            "--http-port",
            "0",
            "--mqtt-url",
            "tcp://127.0.0.1:1"));
    Outcome o = run(args.toArray(String[]::new));
    assertEquals(0, o.code(), o.err());
  }
}
