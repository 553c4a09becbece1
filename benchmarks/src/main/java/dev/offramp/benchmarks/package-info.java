/** Microbenchmarks and the end-to-end benchmark. */
package dev.offramp.benchmarks;
