/**
 * Value semantics for records that hold arrays: {@link dev.offramp.cascade.value.ArrayRecords}
 * compares, hashes and prints them by content, so such a record (which copies its arrays in and
 * out) needs three one-line overrides instead of hand-written ones; {@link
 * dev.offramp.cascade.value.Required} checks a constructor's references in one call, naming the
 * first null. Depends on nothing but the JDK; every other cascade package may use it.
 */
package dev.offramp.cascade.value;
