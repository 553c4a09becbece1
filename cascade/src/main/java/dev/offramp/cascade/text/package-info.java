/**
 * Small text helpers shared by every module: how enum constants are named in configuration files,
 * manifests and command lines, and how a bad name is reported.
 */
package dev.offramp.cascade.text;
