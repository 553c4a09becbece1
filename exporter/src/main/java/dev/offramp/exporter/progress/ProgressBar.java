package dev.offramp.exporter.progress;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on stderr, redrawn at most every 200 ms on a terminal; when stderr is not
 * a terminal (CI logs, files) it prints a plain line every 10% instead of carriage-return redraws.
 * Not thread-safe; one per task.
 */
public final class ProgressBar {
  private static final int WIDTH = 30;
  private final String label;
  private final long total;
  private final PrintStream out;
  private final long start = System.nanoTime();
  private final boolean terminal;
  private long lastDraw;
  private long lastDecile = -1;
  private boolean done;

  /** A bar for {@code total} units of work labelled {@code label}. */
  public ProgressBar(String label, long total) {
    this(label, total, System.err, System.console() != null);
  }

  ProgressBar(String label, long total, PrintStream out, boolean terminal) {
    this.label = label;
    this.total = Math.max(1, total);
    this.out = out;
    this.terminal = terminal;
  }

  /** Shows {@code done} units finished, with an optional note (e.g. the loss). */
  public void update(long doneUnits, String note) {
    long now = System.nanoTime();
    if (!terminal) {
      long decile = 10 * Math.min(doneUnits, total) / total;
      if (decile == lastDecile) {
        return;
      }
      lastDecile = decile;
    } else if (doneUnits < total && now - lastDraw < 200_000_000L) {
      return;
    }
    lastDraw = now;
    int filled = (int) (WIDTH * Math.min(doneUnits, total) / total);
    double secs = (now - start) / 1e9;
    out.print(
        String.format(
            Locale.ROOT,
            terminal ? "\r%-28s [%s%s] %3d%% %6.1fs %s" : "%-28s [%s%s] %3d%% %6.1fs %s%n",
            label,
            "#".repeat(filled),
            " ".repeat(WIDTH - filled),
            100 * Math.min(doneUnits, total) / total,
            secs,
            note));
    out.flush();
  }

  /** Completes the bar and ends the line. */
  public void finish(String note) {
    if (!done) {
      done = true;
      lastDraw = 0;
      lastDecile = -1;
      update(total, note);
      if (terminal) {
        out.println();
      }
    }
  }
}
