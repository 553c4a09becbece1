package dev.offramp.runtime.bundle;

import dev.offramp.cascade.bundle.InputSpec;
import dev.offramp.cascade.bundle.Manifest;
import java.util.Locale;

/** Whether a new bundle can replace the running one without a restart. Stateless. */
final class BundleCompatibility {
  private BundleCompatibility() {}

  /**
   * The capture delivers frames of the running bundle's size and color, and consumers read class
   * ids: both must stay.
   */
  static void check(Manifest next, Manifest running) {
    InputSpec a = next.input();
    InputSpec b = running.input();
    if (a.width() != b.width() || a.height() != b.height() || a.color() != b.color()) {
      throw new BundleUpdateException(
          "input: expected "
              + describe(b)
              + " like the running bundle '"
              + running.name()
              + "' (the capture is set up for it); found "
              + describe(a)
              + ". Build the bundle for the same input, or restart with it as bundle.path");
    }
    if (next.classes().size() != running.classes().size()) {
      throw new BundleUpdateException(
          "classes: expected "
              + running.classes().size()
              + " like the running bundle '"
              + running.name()
              + "' (consumers read class ids); found "
              + next.classes().size()
              + ". Restart with it as bundle.path to change the classes");
    }
  }

  private static String describe(InputSpec s) {
    return s.width() + "x" + s.height() + " " + s.color().name().toLowerCase(Locale.ROOT);
  }
}
