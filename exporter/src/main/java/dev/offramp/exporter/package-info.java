/** From a backbone to a cascade bundle: the offramp tooling commands. */
package dev.offramp.exporter;
