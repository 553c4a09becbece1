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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
  @TempDir Path tmp;

  /**
   * The committed demo bundle when it exists, else the cascade test bundle with an FFmpeg-made
   * video and labels of its own.
   */
  @Test
  void demoRunsEndToEndForFiftyFramesAndReportsAccuracy() throws Exception {
    Path demo = Path.of("../demo").toAbsolutePath().normalize();
    List<String> args =
        new ArrayList<>(List.of("demo", "--frames", "50", "--http-port", "0", "--max-fps", "0"));
    if (!Files.isRegularFile(demo.resolve("fashion-resnet18/bundle/manifest.json"))) {
      Path bundle = TestBundles.write(Files.createDirectories(tmp.resolve("bundle")));
      Path video = Media.mp4(tmp, Media.grayImages(20, 28, 28), 28, 28, 10);
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
      args.addAll(
          List.of(
              "--bundle",
              bundle.toString(),
              "--source",
              video.toString(),
              "--labels",
              labels.toString()));
    } else {
      args.addAll(List.of("--demo-dir", demo.toString()));
    }
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
}
