package dev.offramp.runtime.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LifecycleTest {
  private final List<String> calls = new CopyOnWriteArrayList<>();

  private static Part failingToStart(String name, Exception failure) {
    return Part.of(
        name,
        () -> {
          throw failure;
        },
        left -> {
          throw new AssertionError(name + " never started, so it is never stopped");
        });
  }

  private Part recording(String name) {
    return Part.of(name, () -> calls.add("start " + name), left -> calls.add("stop " + name));
  }

  @Test
  void stopsPartsInReverseStartOrder() {
    Lifecycle lifecycle = new Lifecycle(Duration.ofSeconds(5), () -> calls.add("overrun"));
    lifecycle.start(recording("executor"));
    lifecycle.start(recording("transports"));
    lifecycle.start(recording("capture"));
    lifecycle.stop();
    assertEquals(
        List.of(
            "start executor",
            "start transports",
            "start capture",
            "stop capture",
            "stop transports",
            "stop executor"),
        calls);
  }

  @Test
  void aSecondStopFindsNothingLeftToStop() {
    Lifecycle lifecycle = new Lifecycle(Duration.ofSeconds(5), () -> calls.add("overrun"));
    lifecycle.start(recording("a"));
    lifecycle.stop();
    lifecycle.stop();
    assertEquals(List.of("start a", "stop a"), calls);
  }

  @Test
  void aFailingStartStopsWhatAlreadyStartedInReverseAndRethrows() {
    Lifecycle lifecycle = new Lifecycle(Duration.ofSeconds(5), () -> calls.add("overrun"));
    lifecycle.start(recording("a"));
    lifecycle.start(recording("b"));
    IllegalStateException boom = new IllegalStateException("port 8080 in use");
    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class, () -> lifecycle.start(failingToStart("http", boom)));
    assertSame(boom, thrown);
    assertEquals(List.of("start a", "start b", "stop b", "stop a"), calls);
  }

  @Test
  void aCheckedStartFailureIsRethrownNamingThePart() {
    Lifecycle lifecycle = new Lifecycle(Duration.ofSeconds(5), () -> calls.add("overrun"));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> lifecycle.start(failingToStart("store", new IOException("disk full"))));
    assertEquals("starting store: disk full", e.getMessage());
    assertTrue(e.getCause() instanceof IOException);
  }

  @Test
  void aFailingStopIsLoggedAndTheRestStillStop() {
    Lifecycle lifecycle = new Lifecycle(Duration.ofSeconds(5), () -> calls.add("overrun"));
    lifecycle.start(recording("a"));
    lifecycle.start(
        Part.of(
            "broken",
            () -> {},
            left -> {
              throw new IOException("flush failed");
            }));
    lifecycle.start(recording("c"));
    lifecycle.stop();
    assertEquals(List.of("start a", "start c", "stop c", "stop a"), calls);
    assertEquals(
        List.of(
            "started a", "started broken", "started c", "stopped c", "failed broken", "stopped a"),
        lifecycle.events());
  }

  @Test
  void everyPartIsToldWhatIsLeftOfOneSharedBudget() {
    List<Duration> told = new CopyOnWriteArrayList<>();
    Lifecycle lifecycle = new Lifecycle(Duration.ofMillis(2_000), () -> calls.add("overrun"));
    lifecycle.start(Part.of("first", () -> {}, told::add));
    lifecycle.start(
        Part.of(
            "slow",
            () -> {},
            left -> {
              told.add(left);
              Thread.sleep(300);
            }));
    lifecycle.stop();
    assertEquals(2, told.size());
    assertTrue(told.get(0).toMillis() <= 2_000 && told.get(0).toMillis() > 1_500, "" + told);
    long spent = told.get(0).toMillis() - told.get(1).toMillis();
    assertTrue(spent >= 300, "the second part is told the budget less the first's 300 ms: " + told);
    assertEquals(List.of(), calls, "no overrun within the budget");
  }

  @Test
  void aPartThatOverrunsTheBudgetTriggersTheOverrunAndTheRestStillStop() throws Exception {
    CountDownLatch overrun = new CountDownLatch(1);
    List<Duration> told = new CopyOnWriteArrayList<>();
    Lifecycle lifecycle = new Lifecycle(Duration.ofMillis(200), overrun::countDown);
    lifecycle.start(Part.of("last to stop", () -> {}, told::add));
    lifecycle.start(Part.of("hangs", () -> {}, left -> Thread.sleep(600)));
    lifecycle.stop();
    assertTrue(overrun.await(1, TimeUnit.SECONDS), "the overrun action ran at the deadline");
    assertEquals(
        List.of(Duration.ZERO), told, "the part after the overrun is told nothing is left");
  }

  @Test
  void aStopWithinBudgetNeverRunsTheOverrun() throws Exception {
    AtomicInteger overruns = new AtomicInteger();
    Lifecycle lifecycle = new Lifecycle(Duration.ofMillis(100), overruns::incrementAndGet);
    lifecycle.start(recording("quick"));
    lifecycle.stop();
    Thread.sleep(250);
    assertEquals(0, overruns.get());
  }

  @Test
  void aBudgetMustBePositive() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Lifecycle(Duration.ZERO, () -> {}));
    assertEquals("stop budget: expected a positive duration, found PT0S", e.getMessage());
  }

  @Test
  void theStopIsAnnouncedOnceBeforeAnyPartStops() {
    Lifecycle lifecycle =
        new Lifecycle(
            Duration.ofSeconds(5), () -> calls.add("overrun"), () -> calls.add("announce"));
    lifecycle.start(recording("a"));
    lifecycle.start(recording("b"));
    lifecycle.stop();
    lifecycle.stop();
    assertEquals(List.of("start a", "start b", "announce", "stop b", "stop a"), calls);
  }

  @Test
  void aFailedStartIsAnnouncedTooButNothingIsWhenNothingStarted() {
    Lifecycle lifecycle =
        new Lifecycle(
            Duration.ofSeconds(5), () -> calls.add("overrun"), () -> calls.add("announce"));
    assertThrows(
        IllegalStateException.class,
        () -> lifecycle.start(failingToStart("first", new IllegalStateException("no"))));
    assertEquals(List.of(), calls, "nothing started, nothing to announce");
    lifecycle.start(recording("a"));
    assertThrows(
        IllegalStateException.class,
        () -> lifecycle.start(failingToStart("second", new IllegalStateException("no"))));
    assertEquals(List.of("start a", "announce", "stop a"), calls);
  }
}
