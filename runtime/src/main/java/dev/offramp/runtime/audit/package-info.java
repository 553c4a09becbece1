/**
 * Live audit of early answers: a random sample of frames that left at an exit is also run through
 * the remaining stages in the pipeline's idle time, and each exit's agreement with the full
 * backbone, per class, is compared (Wilson interval) with what the calibration split predicted. An
 * exit that agrees much less than expected raises a retained alert and, with {@code audit.action:
 * tighten}, stops answering that class until cleared.
 */
package dev.offramp.runtime.audit;
