/** The edge daemon that runs a cascade bundle on a board. */
package dev.offramp.runtime;
