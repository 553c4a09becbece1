package dev.offramp.benchmarks.jmh;

import dev.offramp.cascade.testing.TestNets;
import java.util.Locale;

/** The generated nets the microbenchmarks run on, by {@code @Param} name. */
enum Nets {
  /** The 28×28 width-8 test net: ~0.5 MMACs, where per-stage overhead dominates. */
  SMALL(new TestNets(8, 28, 10, 7)),
  /** A 64×64 width-32 net: ~60 MMACs, stages of several MMACs each, like a small ResNet. */
  LARGE(new TestNets(32, 64, 10, 7));

  final TestNets net;

  Nets(TestNets net) {
    this.net = net;
  }

  static TestNets byName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT)).net;
  }
}
