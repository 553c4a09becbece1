package dev.offramp.runtime.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.runtime.pipeline.Switches;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A hub taken by MQTT before the pipeline exists: it reports the configured profile, refuses
 * changes with what to do, and applies them once bound.
 */
class StartingHubTest {
  @Test
  void beforeBindingTheHubReportsTheConfiguredProfileAndRefusesChangesWithWhatToDo() {
    ControlHub hub = ControlHub.starting(List.of("m0", "m0.02"), "m0");
    List<String> told = new ArrayList<>();
    hub.addListener((name, value) -> told.add(name + "=" + value));

    assertEquals(List.of("m0", "m0.02"), hub.profiles());
    assertEquals("m0", hub.profile());
    assertFalse(hub.paused());
    IllegalArgumentException profile =
        assertThrows(IllegalArgumentException.class, () -> hub.setProfile("m0.02"));
    assertTrue(
        profile.getMessage().startsWith("profile: expected a running pipeline"),
        profile.getMessage());
    assertTrue(profile.getMessage().contains("send it again"), profile.getMessage());
    IllegalArgumentException paused =
        assertThrows(IllegalArgumentException.class, () -> hub.setPaused("true"));
    assertTrue(paused.getMessage().startsWith("paused: expected a running pipeline"));
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> hub.setProfile("nope"));
    assertTrue(unknown.getMessage().contains("expected one of [m0, m0.02]"), unknown.getMessage());
    assertEquals(List.of(), told, "nothing applied, nothing announced");
  }

  @Test
  void onceBoundChangesReachThePipelineAndListenersHearThem() {
    ControlHub hub = ControlHub.starting(List.of("m0", "m0.02"), "m0");
    List<String> told = new ArrayList<>();
    hub.addListener((name, value) -> told.add(name + "=" + value));
    RecordingSwitches pipeline = new RecordingSwitches();

    hub.bind(pipeline);
    hub.setProfile("m0.02");
    hub.setPaused(true);

    assertEquals("m0.02", pipeline.profile);
    assertTrue(pipeline.paused);
    assertEquals(List.of("profile=m0.02", "paused=true"), told);
  }

  /** Switches that only remember (the pipeline's part of the contract). */
  private static final class RecordingSwitches implements Switches {
    String profile = "m0";
    boolean paused;

    @Override
    public List<String> profiles() {
      return List.of("m0", "m0.02");
    }

    @Override
    public String profile() {
      return profile;
    }

    @Override
    public void setProfile(String name) {
      profile = name;
    }

    @Override
    public boolean paused() {
      return paused;
    }

    @Override
    public void setPaused(boolean p) {
      paused = p;
    }
  }
}
