/** Frame pixels to the stage-0 tensor, the one implementation both the exporter and runtime use. */
package dev.offramp.cascade.preprocess;
