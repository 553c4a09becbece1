package dev.offramp.benchmarks.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The module arrows, checked on the compiled classes of every module (the benchmarks see them all):
 * benchmarks → exporter and runtime → cascade, nothing back (the cascade and exporter modules check
 * their own rules, and the runtime's {@code RuntimeArchitectureTest} its package layers); and no
 * package cycle inside the benchmarks.
 */
@AnalyzeClasses(packages = "dev.offramp", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleArchitectureTest {
  @ArchTest
  static final ArchRule runtimeNeverImportsExporter =
      noClasses()
          .that()
          .resideInAPackage("dev.offramp.runtime..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.offramp.exporter..", "dev.offramp.benchmarks..");

  @ArchTest
  static final ArchRule nothingImportsTheBenchmarks =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.offramp.benchmarks..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.offramp.benchmarks..");

  @ArchTest
  static final ArchRule benchmarkPackagesHaveNoCycles =
      slices().matching("dev.offramp.benchmarks.(*)..").should().beFreeOfCycles();
}
