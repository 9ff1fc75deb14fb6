@echo off
rem Runnel launcher for Windows: runs ..\lib\runnel.jar with %JAVA_HOME%\bin\java when JAVA_HOME is set, else the
rem java on the PATH (Java 17 or newer). RUNNEL_JAVA_OPTS: JVM options.
setlocal
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java"
"%JAVA%" %RUNNEL_JAVA_OPTS% -jar "%~dp0..\lib\runnel.jar" %*
exit /b %ERRORLEVEL%
