@echo off
rem TimeSync launcher for Windows: runs lib\timesync.jar of this installation with the Java of
rem JAVA_HOME, else the java.exe on the PATH, and passes every argument through unchanged.
rem TIMESYNC_JAVA_OPTS adds JVM options; TIMESYNC_JAR names another jar. The exit status is
rem TimeSync's own (see the README), or 70 when TimeSync cannot be started at all.
rem No parenthesised blocks below: a JAVA_HOME such as C:\Program Files (x86)\Java would end them early.
setlocal
set "TIMESYNC_HOME=%~dp0.."
if not defined TIMESYNC_JAR set "TIMESYNC_JAR=%TIMESYNC_HOME%\lib\timesync.jar"
if not exist "%TIMESYNC_JAR%" goto noJar
if defined JAVA_HOME goto javaHome
set "JAVA_EXE=java.exe"
where /q java.exe
if errorlevel 1 goto noJava
goto run

:javaHome
set "JAVA_EXE=%JAVA_HOME%\bin\java.exe"
if exist "%JAVA_EXE%" goto run
echo timesync: JAVA_HOME is "%JAVA_HOME%", which has no bin\java.exe: point JAVA_HOME at a Java 17 or later 1>&2
exit /b 70

:noJava
echo timesync: no Java found: install Java 17 or later and set JAVA_HOME, or put java.exe on the PATH 1>&2
exit /b 70

:noJar
echo timesync: cannot find "%TIMESYNC_JAR%": run this launcher from the bin folder of a TimeSync installation, or set TIMESYNC_JAR 1>&2
exit /b 70

:run
rem The JVM settings of bin/timesync for an agent (see there), before TIMESYNC_JAVA_OPTS, whose settings
rem win; a collector chosen there replaces the serial one.
set "TIMESYNC_AGENT_OPTS=-Xms8m -Xmx128m -Xmn2m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -Xss512k -XX:MaxMetaspaceSize=64m -XX:ReservedCodeCacheSize=32m -XX:MaxDirectMemorySize=16m -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=10 -XX:-UsePerfData -Xlog:disable -Xlog:all=warning:stderr"
echo.%TIMESYNC_JAVA_OPTS% | findstr /r /c:"-XX:+Use[A-Za-z0-9]*GC" >nul
if errorlevel 1 set "TIMESYNC_AGENT_OPTS=%TIMESYNC_AGENT_OPTS% -XX:+UseSerialGC"
"%JAVA_EXE%" %TIMESYNC_AGENT_OPTS% %TIMESYNC_JAVA_OPTS% -jar "%TIMESYNC_JAR%" %*
exit /b %ERRORLEVEL%
