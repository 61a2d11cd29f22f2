// Keeps the sources of the chosen kind only: every kind's templates are generated, then the others go.
import java.nio.file.Files
import java.nio.file.Path

def props = request.properties
def kind = props.getProperty('kind')
def cls = props.getProperty('className')
def root = Path.of(request.outputDirectory, request.artifactId)
def pkg = props.getProperty('package').replace('.', '/')
def byKind = [
    scheduler: ["src/main/java/${pkg}/${cls}Provider.java", "src/main/java/${pkg}/${cls}Scheduler.java",
                "src/test/java/${pkg}/${cls}ConformanceTest.java", "src/test/java/${pkg}/${cls}SchedulerTest.java"],
    cpumodel : ["src/main/java/${pkg}/${cls}Model.java", "src/test/java/${pkg}/${cls}ModelTest.java"],
    listener : ["src/main/java/${pkg}/${cls}Listener.java", "src/test/java/${pkg}/${cls}ListenerTest.java"],
]
if (!byKind.containsKey(kind)) throw new IllegalArgumentException("kind=${kind}: expected one of ${byKind.keySet().join(', ')}")
byKind.each { k, files ->
    if (k != kind) files.each { Files.deleteIfExists(root.resolve(it.toString())) }
}
