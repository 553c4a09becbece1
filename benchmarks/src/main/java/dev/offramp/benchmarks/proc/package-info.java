/**
 * Child processes for the black-box benchmarks: the real daemon and a real Mosquitto on loopback
 * ports. Depends on nothing else in the benchmarks.
 */
package dev.offramp.benchmarks.proc;
