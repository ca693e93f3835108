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
"%JAVA_EXE%" %TIMESYNC_JAVA_OPTS% -jar "%TIMESYNC_JAR%" %*
exit /b %ERRORLEVEL%
