# Build the Windows installer of 法治台账: dist\fazhi-desktop-setup-X.Y.Z.exe
#
#   powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1            (release)
#   powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1 -DebugBuild (console kept)
#
# Needs Python 3.11+ (the py launcher, or -Python C:\path\to\python.exe) and NSIS 3 (makensis on
# PATH or in its default folder). Steps:
#   1. a clean build environment in build\venv, separate from the developer's .venv
#   2. the program and PyInstaller at the exact versions in installer\constraints.txt
#   3. PyInstaller with installer\fazhi-desktop.spec       -> dist\fazhi-desktop\
#   4. a smoke test of the bundle (fazhi --version, a screenshot drawn offscreen)
#   5. makensis with installer\fazhi-desktop.nsi           -> dist\fazhi-desktop-setup-X.Y.Z.exe
# The version is fazhi_desktop.__version__. The GitHub workflow
# .github/workflows/windows-installer.yml runs this script on a Windows runner.
# Saved as UTF-8 with a byte-order mark: Windows PowerShell 5.1 would read it as ANSI otherwise.

param(
    [string]$Python = "",
    [switch]$DebugBuild
)

$ErrorActionPreference = "Stop"
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

function Invoke-Checked {
    param([string]$What, [scriptblock]$Command)
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What 失败（退出码 $LASTEXITCODE）" }
}

# --- 1. build environment ---------------------------------------------------------------------
$Venv = Join-Path $Root "build\venv"
$VenvPython = Join-Path $Venv "Scripts\python.exe"
if (-not (Test-Path $VenvPython)) {
    Write-Host "创建构建用虚拟环境 $Venv"
    if ($Python) {
        Invoke-Checked "创建虚拟环境" { & $Python -m venv $Venv }
    } elseif (Get-Command py -ErrorAction SilentlyContinue) {
        Invoke-Checked "创建虚拟环境" { & py -3 -m venv $Venv }
    } else {
        Invoke-Checked "创建虚拟环境" { & python -m venv $Venv }
    }
}
Invoke-Checked "检查 Python 版本" {
    & $VenvPython -c "import sys; sys.exit(sys.version_info < (3, 11))"
}

# --- 2. pinned dependencies -----------------------------------------------------------------
$Constraints = Join-Path $Root "installer\constraints.txt"
Write-Host "安装依赖（版本见 installer\constraints.txt）"
Invoke-Checked "安装依赖" {
    & $VenvPython -m pip install --disable-pip-version-check --constraint $Constraints . pyinstaller
}
$Version = (& $VenvPython -c "import fazhi_desktop; print(fazhi_desktop.__version__)").Trim()
if ($LASTEXITCODE -ne 0 -or -not $Version) { throw "读取版本号失败" }
Write-Host "版本 $Version"

# --- 3. PyInstaller -----------------------------------------------------------------------------
$Dist = Join-Path $Root "dist"
$Bundle = Join-Path $Dist "fazhi-desktop"
if ($DebugBuild) { $env:FAZHI_DEBUG_BUILD = "1" } else { Remove-Item Env:FAZHI_DEBUG_BUILD -ErrorAction SilentlyContinue }
Invoke-Checked "PyInstaller" {
    & $VenvPython -m PyInstaller --noconfirm --clean --log-level=WARN `
        --distpath $Dist --workpath (Join-Path $Root "build\pyinstaller") `
        (Join-Path $Root "installer\fazhi-desktop.spec")
}

# --- 4. smoke test: the frozen programs start, with throwaway data folders ------------------------
# Under a clerk's kind of path (C:\Users\张三\My Documents): Chinese characters and spaces.
Remove-Item (Join-Path $Root "build\smoke") -Recurse -Force -ErrorAction SilentlyContinue
$Smoke = Join-Path $Root "build\smoke\张三\My Documents"
New-Item -ItemType Directory $Smoke -Force | Out-Null
$env:FAZHI_DATA_DIR = Join-Path $Smoke "data"
$env:FAZHI_CONFIG_DIR = Join-Path $Smoke "config"
$env:FAZHI_LOG_DIR = Join-Path $Smoke "logs"
try {
    $Reported = (& (Join-Path $Bundle "fazhi.exe") --version).Trim()
    if ($Reported -ne "fazhi-desktop $Version") { throw "fazhi --version 输出“$Reported”" }
    $Db = Join-Path $Smoke "法治 台账.sqlite3"
    & (Join-Path $Bundle "fazhi.exe") --db $Db demo
    if ($LASTEXITCODE -ne 0 -or -not (Test-Path $Db)) { throw "打包后的 fazhi 未能在 $Smoke 建立数据库" }
    $Shot = Join-Path $Smoke "screenshot.png"
    $env:QT_QPA_PLATFORM = "offscreen"
    # A windowed program: Start-Process -Wait, or PowerShell would not wait for it.
    $Gui = Start-Process -FilePath (Join-Path $Bundle "fazhi-desktop.exe") -Wait -PassThru `
        -ArgumentList @("--db", "`"$Db`"", "--screenshot", "`"$Shot`"")
    if ($Gui.ExitCode -ne 0 -or -not (Test-Path $Shot)) { throw "打包后的程序未能启动（截图失败）" }
} finally {
    Remove-Item Env:QT_QPA_PLATFORM, Env:FAZHI_DATA_DIR, Env:FAZHI_CONFIG_DIR, Env:FAZHI_LOG_DIR `
        -ErrorAction SilentlyContinue
}

# --- 5. NSIS ------------------------------------------------------------------------------------
$MakeNsis = (Get-Command makensis -ErrorAction SilentlyContinue).Source
if (-not $MakeNsis) {
    foreach ($Candidate in @("${env:ProgramFiles(x86)}\NSIS\makensis.exe", "$env:ProgramFiles\NSIS\makensis.exe")) {
        if (Test-Path $Candidate) { $MakeNsis = $Candidate; break }
    }
}
if (-not $MakeNsis) { throw "找不到 makensis：请安装 NSIS 3（https://nsis.sourceforge.io/ 或 choco install nsis）" }
$Setup = Join-Path $Dist "fazhi-desktop-setup-$Version.exe"
Invoke-Checked "makensis" {
    & $MakeNsis /V2 /WX "/DVERSION=$Version" "/DDIST_DIR=$Bundle" "/DOUT_FILE=$Setup" `
        (Join-Path $Root "installer\fazhi-desktop.nsi")
}
$Size = [math]::Round((Get-Item $Setup).Length / 1MB, 1)
Write-Host "完成：$Setup（$Size MB）"
