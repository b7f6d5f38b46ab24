; Enclave's NSIS additions (electron-builder nsis.include). The installer is per-machine only
; (nsis.perMachine, oneClick false: no per-user choice), checks for no updates and opens no
; network connection. Uninstalling keeps each user's data directory (%LOCALAPPDATA%\Enclave, or
; ENCLAVE_DATA_DIR): it holds the encrypted store and the audit log, which the site's records rules
; govern; an administrator deletes it by hand.
!macro customUnInstall
  DetailPrint "Enclave's data (%LOCALAPPDATA%\Enclave for each user) was kept; delete it by hand when the site's records rules allow."
!macroend
