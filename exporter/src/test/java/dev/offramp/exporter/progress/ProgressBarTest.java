package dev.offramp.exporter.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  @Test
  void withoutATerminalPrintsOnePlainLinePerTenthAndTheFinalNote() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ProgressBar bar = new ProgressBar("train", 1000, out, false);
    for (int i = 0; i <= 1000; i++) {
      bar.update(i, "");
    }
    bar.finish("loss 0.25");
    String log = bytes.toString(StandardCharsets.UTF_8);
    assertFalse(log.contains("\r"), "no carriage returns in a log");
    // 0%, 10% … 100%, then the finishing line with its note.
    assertEquals(12, log.lines().count(), log);
    assertTrue(log.strip().endsWith("loss 0.25"), log);
  }
}
