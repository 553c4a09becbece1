/**
 * JMH microbenchmarks: chain overhead (never-exit cascade vs monolithic session), exit-rule cost,
 * preprocessing. Run with {@code ./offramp bench jmh [JMH options]}; never part of the test run.
 * {@code ShortRun} holds the run settings the short ones share.
 */
package dev.offramp.benchmarks.jmh;
