package dev.offramp.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/**
 * The camera commands users copy — from {@code offramp run --help} and from the example and board
 * configurations — work as printed: the help fits 80 columns (picocli would break its lines), a
 * pasted example reaches the daemon as one {@code --source}, and every {@code pipe:} command is
 * valid for {@code /bin/sh}, which the daemon runs it with.
 */
class PipeExamplesTest {
  private static final Pattern PIPE = Pattern.compile("pipe:([^\"\\n]+)");

  private static String help() {
    StringWriter out = new StringWriter();
    int code =
        RuntimeMain.execute(
            new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "run", "--help");
    assertEquals(0, code);
    return out.toString();
  }

  /** What {@code /bin/sh} makes of {@code text}: its arguments, one per line, or a syntax error. */
  private static List<String> shell(String... args) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", args) + ": " + out);
    return out.lines().toList();
  }

  private static void validForSh(String command) throws Exception {
    shell("/bin/sh", "-n", "-c", command);
  }

  @Test
  void runHelpFootersLinesFitEightyColumnsSoPicocliPrintsThemWhole() {
    // picocli re-wraps a longer line at 80 columns, so check the text as written and as printed.
    List<String> printed = help().lines().toList();
    for (String line : RunCommand.class.getAnnotation(Command.class).footer()) {
      assertTrue(line.length() <= 80, line.length() + " columns: " + line);
      assertTrue(line.isEmpty() || printed.contains(line), "printed whole: " + line);
    }
  }

  @Test
  void eachCameraExampleInTheHelpPastesAsOneSourceWithAValidPipeCommand() throws Exception {
    List<String> lines = help().lines().toList();
    int examples = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).strip().startsWith("offramp run ")) {
        continue;
      }
      StringBuilder pasted = new StringBuilder(lines.get(i).strip());
      while (pasted.toString().endsWith("\\")) {
        pasted.append('\n').append(lines.get(++i));
      }
      String args = pasted.substring("offramp run ".length());
      List<String> argv = shell("/bin/sh", "-c", "printf '%s\\n' " + args);
      assertEquals("--source", argv.get(2), pasted.toString());
      assertEquals(4, argv.size(), "one --source argument: " + argv);
      assertTrue(argv.get(3).startsWith("pipe:"), argv.get(3));
      validForSh(argv.get(3).substring("pipe:".length()));
      examples++;
    }
    assertEquals(2, examples, "the Jetson and Raspberry Pi examples");
  }

  @Test
  void everyPipeCommandInTheShippedConfigurationsIsValidForSh() throws Exception {
    List<Path> files = new ArrayList<>(List.of(Path.of("../deploy/offramp.example.yaml")));
    try (Stream<Path> boards = Files.list(Path.of("../deploy/boards"))) {
      boards.map(b -> b.resolve("offramp.yaml")).filter(Files::isRegularFile).forEach(files::add);
    }
    int commands = 0;
    for (Path f : files) {
      Matcher m = PIPE.matcher(Files.readString(f));
      while (m.find()) {
        String command = m.group(1).strip();
        if (command.startsWith("COMMAND") || command.startsWith("sources:")) {
          continue; // the syntax line and the pipe-format note, not commands
        }
        validForSh(command);
        commands++;
      }
    }
    assertTrue(commands >= 4, commands + " pipe commands found in " + files);
  }
}
