@echo off
rem Enclave's command line (docs/cli.md), installed next to the app: the app's own binary in its CLI mode.
"%~dp0Enclave.exe" --enclave-cli %*
exit /b %ERRORLEVEL%
