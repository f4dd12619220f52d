; NSIS script for the 法治台账 installer: Chinese, per user, no administrator rights.
;
;   makensis /DVERSION=0.1.0 installer\fazhi-desktop.nsi
;
; packs dist\fazhi-desktop (PyInstaller's output) into dist\fazhi-desktop-setup-0.1.0.exe;
; /DDIST_DIR=… and /DOUT_FILE=… (absolute paths) choose other places.
;
; installer/build-windows.ps1 runs it after PyInstaller, with VERSION from fazhi_desktop.__version__.
; On Linux the same script compiles with the Debian package nsis (options start with - there);
; tests/test_installer.py does that, so script errors show up in the test suite.
;
; Installs into %LOCALAPPDATA%\Programs\fazhi-desktop and registers the uninstaller under HKCU,
; so a clerk without administrator rights can install, update and remove it. The user's data
; (%LOCALAPPDATA%\fazhi-desktop: database, backups, settings, logs) is never touched by an
; install or update, and the uninstaller keeps it unless the user explicitly asks to delete it.

; Compile-time paths use "/": makensis accepts it on Windows, and on Linux it is the only one.
; makensis works in this script's folder: relative paths below are relative to installer/,
; and DIST_DIR/OUT_FILE given on the command line should be absolute.

Unicode true
ManifestDPIAware true
!include "MUI2.nsh"
!include "FileFunc.nsh"

!ifndef VERSION
  !error "缺少版本号：请用 /DVERSION=X.Y.Z 传入（取自 fazhi_desktop.__version__）"
!endif
!searchparse /noerrors "${VERSION}" "" VERSION_MAJOR "." VERSION_MINOR "." VERSION_PATCH
!ifndef VERSION_PATCH
  !error "版本号必须形如 X.Y.Z，当前为 ${VERSION}"
!endif
!ifndef DIST_DIR
  !define DIST_DIR "../dist/fazhi-desktop"
!endif
!ifndef OUT_FILE
  !define OUT_FILE "../dist/fazhi-desktop-setup-${VERSION}.exe"
!endif

!define APP_NAME "法治台账"
!define APP_ID "fazhi-desktop"
!define APP_EXE "fazhi-desktop.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
; Where platformdirs puts the program's data on Windows (fazhi_desktop/paths.py).
!define DATA_DIR "$LOCALAPPDATA\${APP_ID}"

Name "${APP_NAME}"
OutFile "${OUT_FILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_ID}"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
RequestExecutionLevel user
; Solid LZMA with a large dictionary: the whole bundle compresses as one stream (the modules
; are many small .pyc files, shared by both executables; see fazhi-desktop.spec).
SetCompressor /SOLID lzma
SetCompressorDictSize 64
BrandingText "${APP_NAME} ${VERSION}"

!define MUI_ICON "../resources/icons/fazhi.ico"
!define MUI_UNICON "../resources/icons/fazhi.ico"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TEXT "本向导将在您的电脑上安装 ${APP_NAME} ${VERSION}。$\r$\n$\r$\n安装只针对当前用户，不需要管理员权限。升级安装不会改动已有的台账数据。$\r$\n$\r$\n如果 ${APP_NAME} 正在运行，请先关闭它，再点击“下一步”。"
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "立即运行${APP_NAME}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

VIProductVersion "${VERSION_MAJOR}.${VERSION_MINOR}.${VERSION_PATCH}.0"
VIFileVersion "${VERSION_MAJOR}.${VERSION_MINOR}.${VERSION_PATCH}.0"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileDescription" "${APP_NAME} 安装程序"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "LegalCopyright" "MIT License"

Section "${APP_NAME}" SecMain
  SectionIn RO
  SetShellVarContext current
  ; An update replaces the program files; the old runtime goes first so no stale library
  ; lingers. Data lives elsewhere (or, in portable mode, in $INSTDIR\data, left alone).
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${DIST_DIR}/*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
  CreateShortCut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0

  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${APP_NAME}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE}"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" $0
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$DESKTOP\${APP_NAME}.lnk"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\fazhi.exe"
  Delete "$INSTDIR\uninstall.exe"
  DeleteRegKey HKCU "${UNINST_KEY}"

  ; The data holds a year of the unit's work: keep it unless the user twice says otherwise.
  ; "是" (keep) is the default button, and a silent uninstall (/S) keeps it too.
  MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON1 \
    "是否保留您的台账数据？$\r$\n$\r$\n数据位置：${DATA_DIR}$\r$\n（数据库、自动备份、设置和日志）$\r$\n$\r$\n选择“是”（推荐）保留数据，以后重新安装即可继续使用；$\r$\n选择“否”将永久删除这些数据。" \
    /SD IDYES IDYES keep_data
  MessageBox MB_OKCANCEL|MB_ICONEXCLAMATION|MB_DEFBUTTON2 \
    "确定要永久删除全部台账数据和备份吗？删除后无法恢复。$\r$\n$\r$\n${DATA_DIR}" \
    /SD IDCANCEL IDCANCEL keep_data
  RMDir /r "${DATA_DIR}"
  RMDir /r "$INSTDIR\data"
  Delete "$INSTDIR\portable"
  keep_data:
  ; Removed only when empty: kept portable-mode data ($INSTDIR\data and its marker) stays.
  RMDir "$INSTDIR"
SectionEnd
