package dev.offramp.runtime.testing;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Test helper: a copy of a settings record with some components replaced, built through the
 * record's canonical constructor (so its validation runs, and its {@link IllegalArgumentException}
 * reaches the test unwrapped). Replaces the builders and withers tests used to vary one setting of
 * {@code defaults()}. A component name that does not exist fails the test at once.
 */
public final class Records {
  private Records() {}

  /**
   * @param record the record to copy, usually {@code X.defaults()}
   * @param changes component name to its new value
   */
  @SuppressWarnings("unchecked")
  public static <R extends Record> R with(R record, Map<String, ?> changes) {
    RecordComponent[] components = record.getClass().getRecordComponents();
    Set<String> unknown = new HashSet<>(changes.keySet());
    Object[] args = new Object[components.length];
    try {
      for (int i = 0; i < components.length; i++) {
        String name = components[i].getName();
        unknown.remove(name);
        args[i] =
            changes.containsKey(name)
                ? changes.get(name)
                : components[i].getAccessor().invoke(record);
      }
      if (!unknown.isEmpty()) {
        throw new IllegalStateException(
            "no component "
                + unknown
                + " in "
                + record.getClass().getSimpleName()
                + "; components are "
                + Arrays.stream(components).map(RecordComponent::getName).toList());
      }
      Class<?>[] types =
          Arrays.stream(components).map(RecordComponent::getType).toArray(Class[]::new);
      Constructor<?> canonical = record.getClass().getDeclaredConstructor(types);
      return (R) canonical.newInstance(args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@link #with(Record, Map)} for one component. */
  public static <R extends Record> R with(R record, String component, Object value) {
    return with(record, Map.of(component, value));
  }
}
