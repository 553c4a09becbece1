/**
 * JMH microbenchmarks: chain overhead (never-exit cascade vs monolithic session), exit-rule cost,
 * preprocessing. Run with {@code ./offramp bench jmh [JMH options]}; never part of the test run.
 */
package dev.offramp.benchmarks.jmh;
