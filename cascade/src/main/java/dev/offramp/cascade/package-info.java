/**
 * The cascade bundle and how to execute it: shared by the exporter (which writes bundles) and the
 * runtime (which runs them).
 */
package dev.offramp.cascade;
