/**
 * Result plumbing shared by the benchmarks: machine description, atomic JSON files, hand-written
 * SVG scatter charts. Stateless.
 */
package dev.offramp.benchmarks.report;
