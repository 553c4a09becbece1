/**
 * Start-up configuration: the YAML file (kebab-case keys) plus command-line overrides, parsed into
 * one immutable, validated record per component. Unknown keys, wrong types and bad values stop
 * start-up with an error naming the file (or flag) and the key.
 */
package dev.offramp.runtime.config;
