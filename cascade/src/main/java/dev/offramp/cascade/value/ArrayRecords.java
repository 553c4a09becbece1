package dev.offramp.cascade.value;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/**
 * {@code equals}, {@code hashCode} and {@code toString} by content for records with array
 * components (a record's own ones compare arrays by reference). Components are read through the
 * record's public accessors, so a record that hands out copies is compared by those copies. For
 * value records only: not meant for hot paths.
 */
public final class ArrayRecords {
  private ArrayRecords() {}

  /** Whether {@code other} is a record of the same class with equal components (deeply). */
  public static boolean equal(Record self, Object other) {
    if (self == other) {
      return true;
    }
    if (other == null || other.getClass() != self.getClass()) {
      return false;
    }
    return Arrays.deepEquals(components(self), components((Record) other));
  }

  /** A hash of the components, arrays by content. */
  public static int hash(Record self) {
    return Arrays.deepHashCode(components(self));
  }

  /** {@code Name[a=1, b=[1.0, 2.0]]}: the record's usual form, arrays written out. */
  public static String show(Record self) {
    RecordComponent[] rc = self.getClass().getRecordComponents();
    Object[] values = components(self);
    StringBuilder out = new StringBuilder(self.getClass().getSimpleName()).append('[');
    for (int i = 0; i < rc.length; i++) {
      out.append(i == 0 ? "" : ", ").append(rc[i].getName()).append('=');
      String shown = Arrays.deepToString(new Object[] {values[i]}); // "[value]", arrays unrolled
      out.append(shown, 1, shown.length() - 1);
    }
    return out.append(']').toString();
  }

  private static Object[] components(Record r) {
    RecordComponent[] rc = r.getClass().getRecordComponents();
    Object[] values = new Object[rc.length];
    for (int i = 0; i < rc.length; i++) {
      try {
        values[i] = rc[i].getAccessor().invoke(r);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException(
            "Cannot read " + r.getClass().getName() + "." + rc[i].getName(), e);
      }
    }
    return values;
  }
}
