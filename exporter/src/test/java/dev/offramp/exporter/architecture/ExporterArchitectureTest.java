package dev.offramp.exporter.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The exporter's rooms: its packages form no cycle (the build's steps depend downwards: {@code cli}
 * → {@code build} → {@code bundle}, {@code report}, {@code train}, {@code calibrate}, {@code
 * features} → {@code data}, {@code graph}, {@code progress}), and it never reaches into the runtime
 * or the benchmarks.
 */
@AnalyzeClasses(
    packages = "dev.offramp.exporter",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ExporterArchitectureTest {
  @ArchTest
  static final ArchRule exporterPackagesHaveNoCycles =
      slices().matching("dev.offramp.exporter.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule exporterImportsNeitherRuntimeNorBenchmarks =
      noClasses()
          .that()
          .resideInAPackage("dev.offramp.exporter..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.offramp.runtime..", "dev.offramp.benchmarks..");

  @ArchTest
  static final ArchRule onlyTheCommandLineUsesPicocli =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.offramp.exporter.cli..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("picocli..");
}
