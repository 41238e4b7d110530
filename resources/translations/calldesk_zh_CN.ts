<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About CallDesk</source>
        <translation>关于物业客服工作台</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>Settings folder</source>
        <translation>设置文件夹</translation>
    </message>
    <message>
        <source>Log folder</source>
        <translation>日志文件夹</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>备份文件夹</translation>
    </message>
    <message>
        <source>Built with</source>
        <translation>技术组件</translation>
    </message>
    <message>
        <source>CallDesk property service desk</source>
        <translation>物业客服工作台</translation>
    </message>
    <message>
        <source>Front-desk workstation for property service centres: calls, complaints, callbacks and monthly statistics.</source>
        <translation>物业服务中心前台工作台：来电登记、投诉处理、客户回访和月度统计。</translation>
    </message>
</context>
<context>
    <name>Activity</name>
    <message>
        <source>Call</source>
        <translation>通话</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Callback</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Missed call</source>
        <translation>未接来电</translation>
    </message>
    <message>
        <source>{state} ({n} tries)</source>
        <translation>{state}（拨打 {n} 次）</translation>
    </message>
</context>
<context>
    <name>ActivityTableModel</name>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>What</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>By</source>
        <translation>经办人</translation>
    </message>
</context>
<context>
    <name>AppController</name>
    <message>
        <source>Making the demo database…</source>
        <translation>正在生成演示数据库…</translation>
    </message>
    <message>
        <source>Opening the database…</source>
        <translation>正在打开数据库…</translation>
    </message>
</context>
<context>
    <name>Audit</name>
    <message>
        <source>command line</source>
        <translation>命令行</translation>
    </message>
</context>
<context>
    <name>Backups</name>
    <message>
        <source>--to names the database itself; give another file.</source>
        <translation>--to 指定的正是数据库本身，请换一个文件。</translation>
    </message>
    <message>
        <source>This database is on a PostgreSQL server, whose backups are the server&apos;s: restore them there with pg_restore. CallDesk restores only its embedded SQLite database.</source>
        <translation>此数据库在 PostgreSQL 服务器上，备份由服务器负责：请在服务器上用 pg_restore 恢复。本程序只恢复内置的 SQLite 数据库。</translation>
    </message>
    <message>
        <source>The database {path} could not be backed up: it is damaged ({detail}). The earlier backups were kept; restore the latest good one (Tools → Backup and restore, or: calldesk db restore FILE).</source>
        <translation>数据库 {path} 无法备份：它已损坏（{detail}）。以前的备份都已保留；请恢复最近一份完好的备份（工具 → 备份与恢复，或：calldesk db restore 文件）。</translation>
    </message>
    <message>
        <source>customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>calls</source>
        <translation>来电</translation>
    </message>
    <message>
        <source>complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>callbacks</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>before a restore (kept)</source>
        <translation>恢复前（长期保留）</translation>
    </message>
    <message>
        <source>before upgrade from {schema} (kept)</source>
        <translation>从 {schema} 升级前（长期保留）</translation>
    </message>
    <message>
        <source>at start</source>
        <translation>启动时</translation>
    </message>
    <message>
        <source>on quit</source>
        <translation>退出时</translation>
    </message>
    <message>
        <source>during the day</source>
        <translation>白天定时</translation>
    </message>
    <message>
        <source>by hand</source>
        <translation>手动</translation>
    </message>
    <message>
        <source>command line</source>
        <translation>命令行</translation>
    </message>
    <message>
        <source>There is no backup file at {path}.</source>
        <translation>{path} 处没有备份文件。</translation>
    </message>
    <message>
        <source>The backup {path} is damaged ({detail}) and was not restored; nothing was changed. Choose an older backup.</source>
        <translation>备份 {path} 已损坏（{detail}），未恢复，没有改动任何内容。请选择更早的一份备份。</translation>
    </message>
    <message>
        <source>{path} is not a CallDesk backup (it has no CallDesk schema); nothing was changed.</source>
        <translation>{path} 不是 CallDesk 的备份（其中没有 CallDesk 的数据结构），没有改动任何内容。</translation>
    </message>
    <message>
        <source>The backup {path} was written by a newer CallDesk (schema {schema}; this program knows up to {head}). Install the latest CallDesk to restore it; nothing was changed.</source>
        <translation>备份 {path} 由更新版本的 CallDesk 写入（架构版本 {schema}；本程序最高只认识 {head}）。请先安装最新版本再恢复；没有改动任何内容。</translation>
    </message>
    <message>
        <source>The restored database does not match the backup {path}. The database as it was is kept at {safety}.</source>
        <translation>恢复后的数据库与备份 {path} 不一致。恢复前的数据库保留在 {safety}。</translation>
    </message>
    <message>
        <source>This database is on a PostgreSQL server, whose backups are the server&apos;s. pg_dump is not on this PC&apos;s PATH: install the PostgreSQL client tools, or ask the administrator to run on the server: {command}</source>
        <translation>此数据库在 PostgreSQL 服务器上，备份由服务器负责。本机的 PATH 中没有 pg_dump：请安装 PostgreSQL 客户端工具，或请系统管理员在服务器上运行：{command}</translation>
    </message>
    <message>
        <source>pg_dump could not back up the database: {error}</source>
        <translation>pg_dump 未能备份数据库：{error}</translation>
    </message>
    <message>
        <source>This database is on a server; its backups are the server&apos;s (pg_dump), not CallDesk&apos;s.</source>
        <translation>此数据库在服务器上，备份由服务器负责（pg_dump），不由本程序备份。</translation>
    </message>
    <message>
        <source>The backup could not be copied to the second location {folder} ({error}). Check that the drive or share is there; the backup in the backups folder is fine.</source>
        <translation>备份未能复制到第二备份位置 {folder}（{error}）。请检查该磁盘或共享文件夹是否可用；备份文件夹中的备份完好。</translation>
    </message>
</context>
<context>
    <name>BackupsDialog</name>
    <message>
        <source>Backup and restore</source>
        <translation>备份与恢复</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>The demo database is thrown away on exit, so it has no backups.</source>
        <translation>演示数据库在退出时删除，因此没有备份。</translation>
    </message>
    <message>
        <source>This database is on a PostgreSQL server ({server}), shared by every front desk. Its backups are the server&apos;s, not this PC&apos;s: ask the administrator to back it up on the server regularly with pg_dump, for example with the command below, and to restore with pg_restore.</source>
        <translation>此数据库在 PostgreSQL 服务器上（{server}），由各前台共用。备份由服务器负责，而不是本机：请系统管理员在服务器上用 pg_dump 定期备份（例如下面的命令），并用 pg_restore 恢复。</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>pg_dump command</source>
        <translation>pg_dump 命令</translation>
    </message>
    <message>
        <source>CallDesk backs up the database at the first start of each day, every four hours while it runs and on quit, and checks each backup after writing it. It keeps the last 7 days, 4 weeks and 12 months; copies taken before an upgrade or a restore are kept apart. Folder: {folder}</source>
        <translation>CallDesk 在每天第一次启动时、运行期间每四小时以及退出时备份数据库，每份备份写完后都会校验。保留最近 7 天、4 周和 12 个月的备份；升级前和恢复前的副本单独长期保留。文件夹：{folder}</translation>
    </message>
    <message>
        <source>About the backups</source>
        <translation>关于备份</translation>
    </message>
    <message>
        <source>Taken</source>
        <translation>备份时间</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>记录数</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>&amp;Back up now</source>
        <translation>立即备份(&amp;B)</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <source>&amp;Restore…</source>
        <translation>恢复(&amp;R)…</translation>
    </message>
    <message>
        <source>Restore the selected backup</source>
        <translation>恢复所选备份</translation>
    </message>
    <message>
        <source>Restore from a &amp;file…</source>
        <translation>从文件恢复(&amp;F)…</translation>
    </message>
    <message>
        <source>Restore a backup file from elsewhere</source>
        <translation>从其他位置的备份文件恢复</translation>
    </message>
    <message>
        <source>&amp;Open backups folder</source>
        <translation>打开备份文件夹(&amp;O)</translation>
    </message>
    <message>
        <source>Open backups folder</source>
        <translation>打开备份文件夹</translation>
    </message>
    <message>
        <source>Second location (a USB drive or another PC&apos;s share)</source>
        <translation>第二备份位置（U 盘或另一台电脑的共享文件夹）</translation>
    </message>
    <message>
        <source>Second backup location</source>
        <translation>第二备份位置</translation>
    </message>
    <message>
        <source>(none: backups stay on this PC only)</source>
        <translation>（未设置：备份只保存在本机）</translation>
    </message>
    <message>
        <source>&amp;Choose folder…</source>
        <translation>选择文件夹(&amp;C)…</translation>
    </message>
    <message>
        <source>Choose the second backup location</source>
        <translation>选择第二备份位置</translation>
    </message>
    <message>
        <source>No &amp;second copy</source>
        <translation>不复制第二份(&amp;S)</translation>
    </message>
    <message>
        <source>Stop copying backups to a second location</source>
        <translation>不再把备份复制到第二备份位置</translation>
    </message>
    <message>
        <source>No backups yet. Back up now, or let CallDesk take the first one at its next start.</source>
        <translation>还没有备份。可以立即备份，或等 CallDesk 下次启动时自动备份。</translation>
    </message>
    <message>
        <source>Failed its check after writing.</source>
        <translation>写入后的校验未通过。</translation>
    </message>
    <message>
        <source>{n} records in all (every table counted when it was written)</source>
        <translation>共 {n} 条记录（写入时逐表清点）</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <source>Backed up and checked: {name} ({records}).</source>
        <translation>已备份并校验：{name}（{records}）。</translation>
    </message>
    <message>
        <source>Copied to {folder}.</source>
        <translation>已复制到 {folder}。</translation>
    </message>
    <message>
        <source>Restore a backup</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <source>CallDesk backups (*.db);;All files (*)</source>
        <translation>CallDesk 备份 (*.db);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Restore the backup of {when}{records} in place of the database?</source>
        <translation>用 {when} 的备份{records}替换当前数据库吗？</translation>
    </message>
    <message>
        <source>The database as it is now is copied to the backups folder first and kept. Whatever was entered after this backup is then only in that copy. CallDesk opens again on the restored database and everyone signs in again.</source>
        <translation>替换前会先把当前数据库复制到备份文件夹并长期保留。此备份之后录入的内容届时只在那份副本中。随后 CallDesk 会在恢复后的数据库上重新打开，所有人需要重新登录。</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Restoring…</source>
        <translation>正在恢复…</translation>
    </message>
    <message>
        <source>Backup restored</source>
        <translation>备份已恢复</translation>
    </message>
    <message>
        <source>Restored: {records}. CallDesk now opens again on the restored database; please sign in again.</source>
        <translation>已恢复：{records}。CallDesk 现在将在恢复后的数据库上重新打开，请重新登录。</translation>
    </message>
    <message>
        <source>The database as it was: {path}</source>
        <translation>恢复前的数据库：{path}</translation>
    </message>
    <message>
        <source>From the next backup on, a copy goes to {folder}.</source>
        <translation>从下一次备份起，会复制一份到 {folder}。</translation>
    </message>
    <message>
        <source>Backups are no longer copied to a second location.</source>
        <translation>备份不再复制到第二备份位置。</translation>
    </message>
</context>
<context>
    <name>CLI</name>
    <message>
        <source>see --help</source>
        <translation>参见 --help</translation>
    </message>
    <message>
        <source>{text} is not a month; write it as YYYY-MM, e.g. 2026-11</source>
        <translation>{text} 不是月份，请按 YYYY-MM 格式填写，例如 2026-11</translation>
    </message>
    <message>
        <source>empty (no tables yet; opening CallDesk sets it up)</source>
        <translation>空（还没有数据表；打开程序时会自动初始化）</translation>
    </message>
    <message>
        <source>up to date</source>
        <translation>已是最新</translation>
    </message>
    <message>
        <source>older than this program (run: calldesk db upgrade)</source>
        <translation>比本程序旧（请运行：calldesk db upgrade）</translation>
    </message>
    <message>
        <source>newer than this program (install the latest CallDesk)</source>
        <translation>比本程序新（请安装最新版本）</translation>
    </message>
    <message>
        <source>Database: {database}</source>
        <translation>数据库：{database}</translation>
    </message>
    <message>
        <source>Schema: {current} (latest {head}), {status}</source>
        <translation>架构版本：{current}（最新 {head}），{status}</translation>
    </message>
    <message>
        <source>Data folder: {folder}</source>
        <translation>数据文件夹：{folder}</translation>
    </message>
    <message>
        <source>Already up to date (schema {head}).</source>
        <translation>已是最新（架构版本 {head}）。</translation>
    </message>
    <message>
        <source>Upgraded from {old} to {new}.</source>
        <translation>已从 {old} 升级到 {new}。</translation>
    </message>
    <message>
        <source>Backup of the old database: {path}</source>
        <translation>旧数据库的备份：{path}</translation>
    </message>
    <message>
        <source>No problems found.</source>
        <translation>未发现问题。</translation>
    </message>
    <message>
        <source>Warning: {warning}</source>
        <translation>警告：{warning}</translation>
    </message>
    <message>
        <source>Password: </source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Repeat the password: </source>
        <translation>再次输入密码：</translation>
    </message>
    <message>
        <source>The two passwords differ; nothing was saved.</source>
        <translation>两次输入的密码不一致，未保存任何内容。</translation>
    </message>
    <message>
        <source>No terminal to ask for the password; use --password-stdin.</source>
        <translation>没有可输入密码的终端；请使用 --password-stdin。</translation>
    </message>
    <message>
        <source>Added {login} ({role}).</source>
        <translation>已添加 {login}（{role}）。</translation>
    </message>
    <message>
        <source>--customers needs a number of 0 or more.</source>
        <translation>--customers 需要 0 或更大的数字。</translation>
    </message>
    <message>
        <source>--months needs a number of 0 or more.</source>
        <translation>--months 需要 0 或更大的数字。</translation>
    </message>
    <message>
        <source>Demo data for {centre}: {users} users, {customers} customer cards, {calls} calls, {complaints} complaints. Sign in as {login} / {password}.</source>
        <translation>已为{centre}生成演示数据：{users} 个用户、{customers} 张客户资料卡、{calls} 条来电、{complaints} 张投诉单。请用 {login} / {password} 登录。</translation>
    </message>
    <message>
        <source>No customer has this number.</source>
        <translation>没有客户使用这个号码。</translation>
    </message>
    <message>
        <source>{n} open complaint(s)</source>
        <translation>{n} 张未结投诉</translation>
    </message>
    <message>
        <source>No handover on {day}.</source>
        <translation>{day} 没有交接班记录。</translation>
    </message>
    <message>
        <source>taken over by {name}</source>
        <translation>已由 {name} 接班</translation>
    </message>
    <message>
        <source>not taken over yet</source>
        <translation>尚未接班</translation>
    </message>
    <message>
        <source>Nothing found.</source>
        <translation>没有找到。</translation>
    </message>
    <message>
        <source>{created} created, {updated} updated, {unchanged} unchanged, {errors} row problem(s){dry}.</source>
        <translation>新建 {created}，补充 {updated}，未变 {unchanged}，问题行 {errors}{dry}。</translation>
    </message>
    <message>
        <source> (dry run: nothing written)</source>
        <translation>（试运行：未写入任何内容）</translation>
    </message>
    <message>
        <source>There is no department called {name}.</source>
        <translation>没有名为{name}的部门。</translation>
    </message>
    <message>
        <source>No complaints match.</source>
        <translation>没有符合条件的投诉。</translation>
    </message>
    <message>
        <source>… {more} more; narrow the filters or raise --limit.</source>
        <translation>……还有 {more} 条；请缩小筛选范围或加大 --limit。</translation>
    </message>
    <message>
        <source>No callbacks are pending.</source>
        <translation>没有待回访的记录。</translation>
    </message>
    <message>
        <source>No callbacks are due.</source>
        <translation>没有到期的回访。</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>已超时</translation>
    </message>
    <message>
        <source>attempts {n}/{max}</source>
        <translation>已拨 {n}/{max} 次</translation>
    </message>
    <message>
        <source>{total} callback(s), {overdue} overdue.</source>
        <translation>共 {total} 个回访，{overdue} 个已超时。</translation>
    </message>
    <message>
        <source>{count} slip(s) written to {path}</source>
        <translation>已将 {count} 张处理单写入 {path}</translation>
    </message>
    <message>
        <source>CallDesk is not set up on this PC yet; only the demo window runs. To try the pop-up on the demo data, run: calldesk incoming-call --demo {phone}</source>
        <translation>本机的 CallDesk 尚未设置，只有演示窗口在运行。要在演示数据上试用来电弹屏，请运行：calldesk incoming-call --demo {phone}</translation>
    </message>
    <message>
        <source>Missed call from {phone} logged; it waits in the callbacks.</source>
        <translation>未接来电 {phone} 已记录，已加入回拨任务。</translation>
    </message>
    <message>
        <source>{calls} call(s) on {day}: {path}</source>
        <translation>{day} 共 {calls} 条来电：{path}</translation>
    </message>
    <message>
        <source>{complaints} complaint(s), {callbacks} callback(s) in {month}: {path}</source>
        <translation>{month}：{complaints} 张投诉、{callbacks} 个回访：{path}</translation>
    </message>
    <message>
        <source>Unexpected error; details are in the log: {log}</source>
        <translation>发生意外错误，详情见日志：{log}</translation>
    </message>
    <message>
        <source>Backed up and checked: {path} ({size}; {records}).</source>
        <translation>已备份并校验：{path}（{size}；{records}）。</translation>
    </message>
    <message>
        <source>Copied to {path}.</source>
        <translation>已复制到 {path}。</translation>
    </message>
    <message>
        <source>pg_dump wrote {path} ({size}).</source>
        <translation>pg_dump 已写入 {path}（{size}）。</translation>
    </message>
    <message>
        <source>No backups in {folder} yet.</source>
        <translation>{folder} 中还没有备份。</translation>
    </message>
    <message>
        <source>Restore {backup} ({records}) in place of {database}? The database as it is now is copied to the backups folder first. [y/N]</source>
        <translation>用 {backup}（{records}）替换 {database} 吗？替换前会先把当前数据库复制到备份文件夹。[y/N]</translation>
    </message>
    <message>
        <source>Nothing was restored.</source>
        <translation>未恢复任何内容。</translation>
    </message>
    <message>
        <source>Restored {backup}: {records}.</source>
        <translation>已恢复 {backup}：{records}。</translation>
    </message>
    <message>
        <source>The database as it was: {path}</source>
        <translation>恢复前的数据库：{path}</translation>
    </message>
    <message>
        <source>The damaged database was kept as {path}</source>
        <translation>损坏的数据库已保留为 {path}</translation>
    </message>
</context>
<context>
    <name>Call</name>
    <message>
        <source>Inbound</source>
        <translation>来电</translation>
    </message>
    <message>
        <source>Outbound</source>
        <translation>去电</translation>
    </message>
    <message>
        <source>Inquiry</source>
        <translation>咨询</translation>
    </message>
    <message>
        <source>Repair request</source>
        <translation>报修</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Suggestion</source>
        <translation>建议</translation>
    </message>
    <message>
        <source>Praise</source>
        <translation>表扬</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Solved on the call</source>
        <translation>当场解决</translation>
    </message>
    <message>
        <source>Opened a complaint</source>
        <translation>转投诉</translation>
    </message>
    <message>
        <source>Passed to a department</source>
        <translation>转派部门</translation>
    </message>
    <message>
        <source>Called back</source>
        <translation>已回访</translation>
    </message>
    <message>
        <source>Not reached</source>
        <translation>未接通</translation>
    </message>
    <message>
        <source>Missed call</source>
        <translation>未接来电</translation>
    </message>
    <message>
        <source>Call back as agreed</source>
        <translation>约定回电</translation>
    </message>
    <message>
        <source>Complaint callback</source>
        <translation>投诉回访</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>待回访</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已回访</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>回访失败</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>不回访</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>Fairly satisfied</source>
        <translation>基本满意</translation>
    </message>
    <message>
        <source>Unsatisfied</source>
        <translation>不满意</translation>
    </message>
</context>
<context>
    <name>CallDialog</name>
    <message>
        <source>Call of {time}</source>
        <translation>来电记录 {time}</translation>
    </message>
    <message>
        <source>{direction}, {duration}, taken by {operator}</source>
        <translation>{direction}，时长 {duration}，登记人 {operator}</translation>
    </message>
    <message>
        <source>Call type</source>
        <translation>来电类型</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Caller:</source>
        <translation>来电人：</translation>
    </message>
    <message>
        <source>&amp;Type:</source>
        <translation>类型(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Outcome:</source>
        <translation>结果(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Department:</source>
        <translation>部门(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Summary:</source>
        <translation>摘要(&amp;S)：</translation>
    </message>
    <message>
        <source>Missed call: it waits in the callbacks.</source>
        <translation>未接来电：已在回拨任务中等待处理。</translation>
    </message>
    <message>
        <source>Open &amp;card</source>
        <translation>打开资料卡(&amp;C)</translation>
    </message>
    <message>
        <source>Open the caller&apos;s card</source>
        <translation>打开来电人的资料卡</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save (Ctrl+Enter)</source>
        <translation>保存 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>You can change your own calls on the day they were taken.</source>
        <translation>您只能在当天修改自己登记的来电。</translation>
    </message>
</context>
<context>
    <name>CallPanel</name>
    <message>
        <source>Log a call</source>
        <translation>来电登记</translation>
    </message>
    <message>
        <source>New call (F2)</source>
        <translation>新来电 (F2)</translation>
    </message>
    <message>
        <source>New call</source>
        <translation>新来电</translation>
    </message>
    <message>
        <source>Call duration</source>
        <translation>通话时长</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>Missed call</source>
        <translation>未接来电</translation>
    </message>
    <message>
        <source>Greeting script</source>
        <translation>问候语</translation>
    </message>
    <message>
        <source>Caller&apos;s number</source>
        <translation>来电号码</translation>
    </message>
    <message>
        <source>number, or 4+ digits of it</source>
        <translation>号码，或其中 4 位以上数字</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>来电人</translation>
    </message>
    <message>
        <source>Misse&amp;d</source>
        <translation>未接(&amp;D)</translation>
    </message>
    <message>
        <source>Ne&amp;w card…</source>
        <translation>新建资料卡(&amp;W)…</translation>
    </message>
    <message>
        <source>New card for this caller</source>
        <translation>为来电人新建资料卡</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>突发事件</translation>
    </message>
    <message>
        <source>About this incident (Ctrl+I)</source>
        <translation>关联此事件（Ctrl+I）</translation>
    </message>
    <message>
        <source>The call is about this incident</source>
        <translation>此来电是为该事件</translation>
    </message>
    <message>
        <source>Matching cards</source>
        <translation>匹配的资料卡</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Call type</source>
        <translation>来电类型</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Save (Ctrl+Enter)</source>
        <translation>保存 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Save the call</source>
        <translation>保存来电</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Clear the panel</source>
        <translation>清空登记栏</translation>
    </message>
    <message>
        <source>Comp&amp;laint form… (Ctrl+T)</source>
        <translation>转投诉单(&amp;L)…（Ctrl+T）</translation>
    </message>
    <message>
        <source>Un&amp;it:</source>
        <translation>房屋(&amp;I)：</translation>
    </message>
    <message>
        <source>T&amp;ype:</source>
        <translation>类型(&amp;Y)：</translation>
    </message>
    <message>
        <source>Outco&amp;me:</source>
        <translation>结果(&amp;M)：</translation>
    </message>
    <message>
        <source>Dep&amp;artment:</source>
        <translation>部门(&amp;A)：</translation>
    </message>
    <message>
        <source>⚠ {notice}</source>
        <translation>⚠ {notice}</translation>
    </message>
    <message>
        <source>About {title}: told the caller</source>
        <translation>询问{title}：已告知来电人</translation>
    </message>
    <message>
        <source>Open a complaint form from this call</source>
        <translation>由这通来电填写投诉处理单</translation>
    </message>
    <message>
        <source>&amp;Number:</source>
        <translation>号码(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Summary:</source>
        <translation>摘要(&amp;S)：</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>&lt;i&gt;Unknown caller&lt;/i&gt;</source>
        <translation>&lt;i&gt;陌生来电&lt;/i&gt;</translation>
    </message>
    <message>
        <source>(no unit)</source>
        <translation>（不涉及房屋）</translation>
    </message>
</context>
<context>
    <name>CallTableModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>号码</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>来电人</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>客服专员</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>未接</translation>
    </message>
</context>
<context>
    <name>CallbackDialog</name>
    <message>
        <source>Callback on the customer&apos;s call: {who}</source>
        <translation>在客户来电中回访：{who}</translation>
    </message>
    <message>
        <source>Callback: {who}</source>
        <translation>回访：{who}</translation>
    </message>
    <message>
        <source>Customer and complaint</source>
        <translation>客户与投诉</translation>
    </message>
    <message>
        <source>Callback script</source>
        <translation>回访话术</translation>
    </message>
    <message>
        <source>Number to dial</source>
        <translation>回访号码</translation>
    </message>
    <message>
        <source>&amp;Dial (F5)</source>
        <translation>拨号(&amp;D)（F5）</translation>
    </message>
    <message>
        <source>&amp;Copy the number (F5)</source>
        <translation>复制号码(&amp;C)（F5）</translation>
    </message>
    <message>
        <source>Dial the number</source>
        <translation>拨打号码</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>This customer does not want to be called. Do not dial; record the callback as skipped.</source>
        <translation>该客户要求不回访。请勿拨打，将本次回访记为“不回访”。</translation>
    </message>
    <message>
        <source>&amp;Yes, reached</source>
        <translation>已接通(&amp;Y)</translation>
    </message>
    <message>
        <source>Reached</source>
        <translation>已接通</translation>
    </message>
    <message>
        <source>&amp;No, not reached</source>
        <translation>未接通(&amp;N)</translation>
    </message>
    <message>
        <source>Not reached</source>
        <translation>未接通</translation>
    </message>
    <message>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <source>The customer is not satisfied: what next?</source>
        <translation>客户不满意，下一步：</translation>
    </message>
    <message>
        <source>Send back to the department for &amp;rework with new deadlines</source>
        <translation>退回责任部门返工(&amp;R)，重新计算处理时限</translation>
    </message>
    <message>
        <source>Rework</source>
        <translation>返工</translation>
    </message>
    <message>
        <source>Explained; call &amp;again at</source>
        <translation>已解释说明，再次回访时间(&amp;A)</translation>
    </message>
    <message>
        <source>Call again</source>
        <translation>再次回访</translation>
    </message>
    <message>
        <source>Call again at</source>
        <translation>再次回访时间</translation>
    </message>
    <message>
        <source>What the customer said</source>
        <translation>客户意见</translation>
    </message>
    <message>
        <source>What the customer said (required when not satisfied)</source>
        <translation>客户意见（不满意时必填）</translation>
    </message>
    <message>
        <source>Save (Ctrl+Enter)</source>
        <translation>保存（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Save the callback</source>
        <translation>保存回访</translation>
    </message>
    <message>
        <source>&amp;Skip: do not call…</source>
        <translation>不回访(&amp;S)…</translation>
    </message>
    <message>
        <source>Record as skipped</source>
        <translation>记为不回访</translation>
    </message>
    <message>
        <source>Ma&amp;ke a card…</source>
        <translation>新建客户卡(&amp;K)…</translation>
    </message>
    <message>
        <source>Save, then complain&amp;t (Ctrl+T)</source>
        <translation>保存并转投诉单(&amp;T)（Ctrl+T）</translation>
    </message>
    <message>
        <source>Make a card for the caller</source>
        <translation>为来电人新建客户卡</translation>
    </message>
    <message>
        <source>Save and open a complaint</source>
        <translation>保存并转投诉单</translation>
    </message>
    <message>
        <source>&lt;b&gt;The customer is on the line&lt;/b&gt; (calling from {phone}): ask, then record the answer.</source>
        <translation>&lt;b&gt;客户正在来电中&lt;/b&gt;（号码 {phone}）：询问后记录客户的答复。</translation>
    </message>
    <message>
        <source>Complaint: {text}</source>
        <translation>投诉内容：{text}</translation>
    </message>
    <message>
        <source>Asked for: {text}</source>
        <translation>客户诉求：{text}</translation>
    </message>
    <message>
        <source>Resolution: {text}</source>
        <translation>处理结果：{text}</translation>
    </message>
    <message>
        <source>Due {due}; tries so far: {n} of {max}</source>
        <translation>应回访时间 {due}；已拨打 {n}/{max} 次</translation>
    </message>
    <message>
        <source>reached</source>
        <translation>已接通</translation>
    </message>
    <message>
        <source>not reached</source>
        <translation>未接通</translation>
    </message>
    <message>
        <source>Dialling…</source>
        <translation>正在拨号…</translation>
    </message>
    <message>
        <source>The softphone could not be started ({program}). Check the softphone command in Settings; the number was copied instead.</source>
        <translation>无法启动软电话（{program}）。请在“设置”中检查软电话命令；号码已复制，可手动拨打。</translation>
    </message>
    <message>
        <source>Number copied</source>
        <translation>号码已复制</translation>
    </message>
    <message>
        <source>Choose whether the customer was reached.</source>
        <translation>请选择是否接通。</translation>
    </message>
    <message>
        <source>A complaint follows a call that reached the customer: choose &quot;Yes, reached&quot; first.</source>
        <translation>投诉单要在接通的通话中登记：请先选择“已接通”。</translation>
    </message>
    <message>
        <source>Skip the callback</source>
        <translation>不回访</translation>
    </message>
    <message>
        <source>Why is the customer not called?</source>
        <translation>为什么不回访？</translation>
    </message>
    <message>
        <source>The customer does not want to be called back.</source>
        <translation>客户要求不回访。</translation>
    </message>
</context>
<context>
    <name>CallbackTableModel</name>
    <message>
        <source>Due</source>
        <translation>应回访时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>号码</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Tries</source>
        <translation>次数</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Reviewed</source>
        <translation>审阅</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>已超时</translation>
    </message>
    <message>
        <source>(do not call)</source>
        <translation>（勿回访）</translation>
    </message>
</context>
<context>
    <name>Callbacks</name>
    <message>
        <source>To do now</source>
        <translation>待办</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已超时</translation>
    </message>
    <message>
        <source>Due today</source>
        <translation>今日到期</translation>
    </message>
    <message>
        <source>Upcoming</source>
        <translation>以后</translation>
    </message>
    <message>
        <source>Awaiting retry</source>
        <translation>待重拨</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>回访失败</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>The customer does not want to be called back.</source>
        <translation>客户要求不回访。</translation>
    </message>
    <message>
        <source>That callback no longer exists. Refresh the list.</source>
        <translation>该回访已不存在，请刷新列表。</translation>
    </message>
    <message>
        <source>{number} is not a phone number we can call back.</source>
        <translation>{number} 不是可以回拨的电话号码。</translation>
    </message>
    <message>
        <source>Choose a time that has not passed.</source>
        <translation>请选择一个还没过去的时间。</translation>
    </message>
    <message>
        <source>At most {n} characters.</source>
        <translation>最多 {n} 个字。</translation>
    </message>
    <message>
        <source>That call no longer exists.</source>
        <translation>该来电记录已不存在。</translation>
    </message>
    <message>
        <source>Write the number to call back.</source>
        <translation>请填写回访号码。</translation>
    </message>
    <message>
        <source>The customer is on the line: a callback done on their call reaches them.</source>
        <translation>客户正在通话中：在来电中做的回访一定是已接通。</translation>
    </message>
    <message>
        <source>This callback is already {status}. Refresh the list.</source>
        <translation>这条回访已经是“{status}”，请刷新列表。</translation>
    </message>
    <message>
        <source>{name} does not want to be called. Record the callback as skipped instead.</source>
        <translation>{name}要求不回访。请记为“不回访”。</translation>
    </message>
    <message>
        <source>Choose how satisfied the customer is.</source>
        <translation>请选择客户满意度。</translation>
    </message>
    <message>
        <source>Choose what happens next: rework, or call again after explaining.</source>
        <translation>请选择下一步：返工，或解释说明后再次回访。</translation>
    </message>
    <message>
        <source>Write why the customer is not satisfied.</source>
        <translation>请填写客户不满意的原因。</translation>
    </message>
    <message>
        <source>Choose when to call the customer again (a time to come).</source>
        <translation>请选择再次回访的时间（须晚于现在）。</translation>
    </message>
    <message>
        <source>Callback</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Call back</source>
        <translation>回拨</translation>
    </message>
    <message>
        <source>not reached</source>
        <translation>未接通</translation>
    </message>
    <message>
        <source>reached</source>
        <translation>已接通</translation>
    </message>
    <message>
        <source>Write why the callback is skipped.</source>
        <translation>请填写不回访的原因。</translation>
    </message>
    <message>
        <source>That customer card no longer exists.</source>
        <translation>该客户资料卡已不存在。</translation>
    </message>
    <message>
        <source>This callback already belongs to another card. Refresh the list.</source>
        <translation>此回访已属于另一张资料卡。请刷新列表。</translation>
    </message>
    <message>
        <source>Only a failed callback is tried again. Refresh the list.</source>
        <translation>只有回访失败的记录才能重新回访。请刷新列表。</translation>
    </message>
    <message>
        <source>This callback has been taken up again already, or its complaint has moved on. Refresh the list.</source>
        <translation>这条回访已重新安排过，或其投诉已有新进展。请刷新列表。</translation>
    </message>
    <message>
        <source>Only the complaint of a failed callback is closed this way. Refresh the list.</source>
        <translation>只有回访失败的投诉才能这样结案。请刷新列表。</translation>
    </message>
    <message>
        <source>A callback is reviewed once it has been made (or has failed or been skipped).</source>
        <translation>回访完成（或失败、不回访）后才能审阅。</translation>
    </message>
</context>
<context>
    <name>CallbacksTab</name>
    <message>
        <source>Callbacks</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>&amp;Mine only</source>
        <translation>只看我的(&amp;M)</translation>
    </message>
    <message>
        <source>Only the callbacks I am to make</source>
        <translation>只看由我回访的</translation>
    </message>
    <message>
        <source>Only finished callbacks nobody has reviewed</source>
        <translation>只看已完成但未审阅的回访</translation>
    </message>
    <message>
        <source>Search callbacks</source>
        <translation>搜索回访</translation>
    </message>
    <message>
        <source>customer, number or complaint (Ctrl+F)</source>
        <translation>客户、号码或投诉编号（Ctrl+F）</translation>
    </message>
    <message>
        <source>Callbacks shown</source>
        <translation>显示的回访</translation>
    </message>
    <message>
        <source>Make the chosen callback</source>
        <translation>回访选中的客户</translation>
    </message>
    <message>
        <source>U&amp;nreviewed</source>
        <translation>未审阅(&amp;N)</translation>
    </message>
    <message>
        <source>Ca&amp;ll back (Enter)</source>
        <translation>回访(&amp;L)（Enter）</translation>
    </message>
    <message>
        <source>Rev&amp;iew… (Ctrl+R)</source>
        <translation>审阅(&amp;I)…（Ctrl+R）</translation>
    </message>
    <message>
        <source>Review the chosen callback</source>
        <translation>审阅选中的回访</translation>
    </message>
    <message>
        <source>Try &amp;again…</source>
        <translation>重新回访(&amp;A)…</translation>
    </message>
    <message>
        <source>Try a failed callback again</source>
        <translation>重新回访失败的记录</translation>
    </message>
    <message>
        <source>Clo&amp;se the complaint unreached…</source>
        <translation>未能回访，结案(&amp;S)…</translation>
    </message>
    <message>
        <source>Close the complaint of a failed callback</source>
        <translation>回访失败的投诉直接结案</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>导出(&amp;X)…</translation>
    </message>
    <message>
        <source>Export the callbacks shown to Excel</source>
        <translation>将显示的回访导出到 Excel</translation>
    </message>
    <message>
        <source>Export callbacks</source>
        <translation>导出回访</translation>
    </message>
    <message>
        <source>Callbacks {date}.xlsx</source>
        <translation>回访-{date}.xlsx</translation>
    </message>
    <message>
        <source>Exporting callbacks…</source>
        <translation>正在导出回访…</translation>
    </message>
    <message>
        <source>Callbacks saved: {path}</source>
        <translation>回访已导出：{path}</translation>
    </message>
    <message>
        <source>{queue} ({n})</source>
        <translation>{queue}（{n}）</translation>
    </message>
    <message>
        <source>{n} callback(s)</source>
        <translation>{n} 条回访</translation>
    </message>
    <message>
        <source>Callback saved with the customer&apos;s call.</source>
        <translation>回访已记录在本次来电中。</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>审阅</translation>
    </message>
    <message>
        <source>A callback is reviewed once it has been made (or has failed or been skipped).</source>
        <translation>回访完成（或失败、不回访）后才能审阅。</translation>
    </message>
    <message>
        <source>Review the callback</source>
        <translation>审阅回访</translation>
    </message>
    <message>
        <source>Your comment (optional):</source>
        <translation>审阅意见（可不填）：</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重新回访</translation>
    </message>
    <message>
        <source>Only a failed callback is tried again.</source>
        <translation>只有回访失败的记录才能重新回访。</translation>
    </message>
    <message>
        <source>Try again from (yyyy-MM-dd HH:mm):</source>
        <translation>从何时开始重新回访（格式：2026-11-23 10:00）：</translation>
    </message>
    <message>
        <source>Write the time as yyyy-MM-dd HH:mm, e.g. 2026-11-23 10:00.</source>
        <translation>请按“年-月-日 时:分”填写时间，例如 2026-11-23 10:00。</translation>
    </message>
    <message>
        <source>Close the complaint</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>Choose a failed complaint callback.</source>
        <translation>请选择一条回访失败的投诉回访。</translation>
    </message>
    <message>
        <source>Why is {number} closed without a callback?</source>
        <translation>{number} 未经回访就结案的原因：</translation>
    </message>
</context>
<context>
    <name>CallerPopup</name>
    <message>
        <source>Incoming call {phone}</source>
        <translation>来电弹屏 {phone}</translation>
    </message>
    <message>
        <source>Which caller</source>
        <translation>哪位来电人</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>突发事件</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>来电人</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Open complaints</source>
        <translation>未结投诉</translation>
    </message>
    <message>
        <source>Last calls</source>
        <translation>最近来电</translation>
    </message>
    <message>
        <source>&amp;Log this call (Enter)</source>
        <translation>登记这次来电(&amp;L) (Enter)</translation>
    </message>
    <message>
        <source>Log this call</source>
        <translation>登记这次来电</translation>
    </message>
    <message>
        <source>Open &amp;card</source>
        <translation>打开资料卡(&amp;C)</translation>
    </message>
    <message>
        <source>Open the card</source>
        <translation>打开资料卡</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>关闭 (Esc)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Callbacks to do</source>
        <translation>回访待办</translation>
    </message>
    <message>
        <source>Do the callback on t&amp;his call</source>
        <translation>在本次通话中回访(&amp;H)</translation>
    </message>
    <message>
        <source>Do the callback on this call</source>
        <translation>在本次通话中回访</translation>
    </message>
    <message>
        <source>Callbacks to do:</source>
        <translation>回访待办：</translation>
    </message>
    <message>
        <source>Last calls:</source>
        <translation>最近来电：</translation>
    </message>
    <message>
        <source>⚠ {notice}</source>
        <translation>⚠ {notice}</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Unknown number&lt;/h2&gt;{phone}</source>
        <translation>&lt;h2&gt;陌生号码&lt;/h2&gt;{phone}</translation>
    </message>
    <message>
        <source>No card has this number. Log the call and make a card for the caller.</source>
        <translation>没有资料卡使用这个号码。请登记来电，并为来电人新建资料卡。</translation>
    </message>
    <message>
        <source>New &amp;card…</source>
        <translation>新建资料卡(&amp;C)…</translation>
    </message>
    <message>
        <source>Blacklisted caller: stay polite, take the call as usual and follow the rules agreed for this customer.</source>
        <translation>黑名单客户：请保持礼貌，照常受理，并按对该客户约定的规定处理。</translation>
    </message>
    <message>
        <source>Do not call this customer back.</source>
        <translation>请勿回访该客户。</translation>
    </message>
    <message>
        <source>Units: {units}</source>
        <translation>房屋：{units}</translation>
    </message>
    <message>
        <source>{n} open complaint(s):</source>
        <translation>{n} 张未结投诉：</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>未接</translation>
    </message>
</context>
<context>
    <name>Calls</name>
    <message>
        <source>{number} is not a phone number we can call back ({reason})</source>
        <translation>{number} 不是能回拨的电话号码（{reason}）</translation>
    </message>
    <message>
        <source>Enter the caller&apos;s number or choose their card.</source>
        <translation>请输入来电号码或选择来电人的资料卡。</translation>
    </message>
    <message>
        <source>A missed call needs the number, so it can be called back.</source>
        <translation>未接来电需要号码，才能回拨。</translation>
    </message>
    <message>
        <source>Choose what the call was about.</source>
        <translation>请选择来电类型。</translation>
    </message>
    <message>
        <source>Write what the caller said, in a few words.</source>
        <translation>请简要写下来电内容。</translation>
    </message>
    <message>
        <source>Choose what came of the call.</source>
        <translation>请选择处理结果。</translation>
    </message>
    <message>
        <source>Choose the department the call goes to.</source>
        <translation>请选择转派的部门。</translation>
    </message>
    <message>
        <source>At most {n} characters.</source>
        <translation>最多 {n} 个字符。</translation>
    </message>
    <message>
        <source>The duration is not plausible.</source>
        <translation>通话时长不合理。</translation>
    </message>
    <message>
        <source>That customer card no longer exists; choose the caller again.</source>
        <translation>该资料卡已不存在，请重新选择来电人。</translation>
    </message>
    <message>
        <source>That unit no longer exists; choose it again.</source>
        <translation>该房屋已不存在，请重新选择。</translation>
    </message>
    <message>
        <source>That department no longer exists.</source>
        <translation>该部门已不存在。</translation>
    </message>
    <message>
        <source>You can change your own calls on the day they were taken. Ask a supervisor to change this one.</source>
        <translation>您只能在当天修改自己登记的来电。如需修改这条，请联系客服主管。</translation>
    </message>
    <message>
        <source>That call no longer exists. Refresh the list.</source>
        <translation>该来电记录已不存在，请刷新列表。</translation>
    </message>
</context>
<context>
    <name>CallsTab</name>
    <message>
        <source>Calls</source>
        <translation>来电登记</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>未接</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>In and out</source>
        <translation>来电和去电</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>All outcomes</source>
        <translation>全部结果</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>客服专员</translation>
    </message>
    <message>
        <source>All operators</source>
        <translation>全部客服</translation>
    </message>
    <message>
        <source>Only mine</source>
        <translation>只看我的</translation>
    </message>
    <message>
        <source>Search calls</source>
        <translation>搜索来电</translation>
    </message>
    <message>
        <source>caller, number or words of the summary</source>
        <translation>来电人、号码或摘要中的文字</translation>
    </message>
    <message>
        <source>Calls shown</source>
        <translation>显示的来电数</translation>
    </message>
    <message>
        <source>Daily lo&amp;g…</source>
        <translation>每日工作报表(&amp;G)…</translation>
    </message>
    <message>
        <source>Call bac&amp;k later… (Ctrl+K)</source>
        <translation>安排回拨(&amp;K)…（Ctrl+K）</translation>
    </message>
    <message>
        <source>Export calls</source>
        <translation>导出来电</translation>
    </message>
    <message>
        <source>Calls {date}.xlsx</source>
        <translation>来电-{date}.xlsx</translation>
    </message>
    <message>
        <source>Exporting calls…</source>
        <translation>正在导出来电…</translation>
    </message>
    <message>
        <source>Calls saved: {path}</source>
        <translation>来电已导出：{path}</translation>
    </message>
    <message>
        <source>Daily work report</source>
        <translation>每日工作报表</translation>
    </message>
    <message>
        <source>Schedule a callback for the chosen call</source>
        <translation>为选中的来电安排回拨</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>导出(&amp;X)…</translation>
    </message>
    <message>
        <source>Export the calls shown to Excel</source>
        <translation>将显示的来电导出到 Excel</translation>
    </message>
    <message>
        <source>Exports your own calls among those shown</source>
        <translation>只导出显示的来电中您本人接听的</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>{n} call(s)</source>
        <translation>共 {n} 条</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change my password</source>
        <translation>修改我的密码</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>at least {n} characters</source>
        <translation>至少 {n} 个字符</translation>
    </message>
    <message>
        <source>Repeat new password</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>&amp;Current password:</source>
        <translation>当前密码(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;New password:</source>
        <translation>新密码(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Repeat new password:</source>
        <translation>再次输入新密码(&amp;R)：</translation>
    </message>
    <message>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>The two new passwords differ. Type the same password twice.</source>
        <translation>两次输入的新密码不一致，请输入相同的密码。</translation>
    </message>
</context>
<context>
    <name>Complaint</name>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Walk-in</source>
        <translation>来访</translation>
    </message>
    <message>
        <source>Letter</source>
        <translation>来函</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>Cleaning</source>
        <translation>保洁</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>秩序/安保</translation>
    </message>
    <message>
        <source>Landscaping</source>
        <translation>绿化</translation>
    </message>
    <message>
        <source>Repairs</source>
        <translation>工程维修</translation>
    </message>
    <message>
        <source>Parking</source>
        <translation>停车</translation>
    </message>
    <message>
        <source>Noise</source>
        <translation>噪音</translation>
    </message>
    <message>
        <source>Fees</source>
        <translation>收费</translation>
    </message>
    <message>
        <source>Staff attitude</source>
        <translation>服务态度</translation>
    </message>
    <message>
        <source>Renovation</source>
        <translation>装修</translation>
    </message>
    <message>
        <source>Other category</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>Serious</source>
        <translation>较重</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>已登记</translation>
    </message>
    <message>
        <source>Dispatched</source>
        <translation>已派单</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>处理中</translation>
    </message>
    <message>
        <source>Awaiting callback</source>
        <translation>待回访</translation>
    </message>
    <message>
        <source>Reopened</source>
        <translation>返工</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已办结</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>已归档</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Edit the form</source>
        <translation>修改处理单</translation>
    </message>
    <message>
        <source>Dispatch</source>
        <translation>派单</translation>
    </message>
    <message>
        <source>Re-dispatch</source>
        <translation>转派</translation>
    </message>
    <message>
        <source>Start handling</source>
        <translation>开始处理</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>处理完毕</translation>
    </message>
    <message>
        <source>Callback: satisfied, close</source>
        <translation>回访满意，办结</translation>
    </message>
    <message>
        <source>Callback: unsatisfied, rework</source>
        <translation>回访不满意，返工</translation>
    </message>
    <message>
        <source>Callback: not reached</source>
        <translation>回访未接通</translation>
    </message>
    <message>
        <source>Callback: unsatisfied, explained, call again</source>
        <translation>回访不满意，已解释，再次回访</translation>
    </message>
    <message>
        <source>Callback skipped: do not call</source>
        <translation>不回访（客户要求）</translation>
    </message>
    <message>
        <source>Callback failed: never reached</source>
        <translation>回访失败（多次未接通）</translation>
    </message>
    <message>
        <source>Closed without a callback</source>
        <translation>未能回访，结案</translation>
    </message>
    <message>
        <source>Cancel the complaint</source>
        <translation>撤销投诉</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>归档</translation>
    </message>
    <message>
        <source>Add a note</source>
        <translation>添加备注</translation>
    </message>
    <message>
        <source>Slip printed</source>
        <translation>已打印处理单</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Due soon</source>
        <translation>即将超时</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已超时</translation>
    </message>
    <message>
        <source>Met</source>
        <translation>按时完成</translation>
    </message>
    <message>
        <source>Done late</source>
        <translation>超时完成</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>响应</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>解决</translation>
    </message>
</context>
<context>
    <name>ComplaintActions</name>
    <message>
        <source>To be determined</source>
        <translation>待定</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>OK (Ctrl+Enter)</source>
        <translation>确定（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Note on starting (optional):</source>
        <translation>开始处理备注（可不填）：</translation>
    </message>
    <message>
        <source>Why the complaint is cancelled:</source>
        <translation>撤销投诉的原因：</translation>
    </message>
    <message>
        <source>Note (optional):</source>
        <translation>备注（可不填）：</translation>
    </message>
    <message>
        <source>Note for the timeline, e.g. the department was chased:</source>
        <translation>记入处理记录的备注，例如已催办部门：</translation>
    </message>
</context>
<context>
    <name>ComplaintDialog</name>
    <message>
        <source>Complaint {number}</source>
        <translation>投诉处理单 {number}</translation>
    </message>
    <message>
        <source>New complaint</source>
        <translation>新建投诉</translation>
    </message>
    <message>
        <source>Find the customer</source>
        <translation>查找客户</translation>
    </message>
    <message>
        <source>name, pinyin, 4+ digits or unit</source>
        <translation>姓名、拼音、4 位以上号码或房号</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Matching cards</source>
        <translation>匹配的资料卡</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Phone to call back</source>
        <translation>回访电话</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>(choose)</source>
        <translation>（请选择）</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>投诉内容</translation>
    </message>
    <message>
        <source>What the customer asks for</source>
        <translation>客户诉求</translation>
    </message>
    <message>
        <source>Responsible department</source>
        <translation>责任部门</translation>
    </message>
    <message>
        <source>(dispatch later)</source>
        <translation>（稍后派单）</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>处理人</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>可不填</translation>
    </message>
    <message>
        <source>Company at fault</source>
        <translation>本公司责任</translation>
    </message>
    <message>
        <source>C&amp;ustomer:</source>
        <translation>客户(&amp;U)：</translation>
    </message>
    <message>
        <source>U&amp;nit:</source>
        <translation>房屋(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Phone:</source>
        <translation>电话(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Source:</source>
        <translation>来源(&amp;S)：</translation>
    </message>
    <message>
        <source>Ca&amp;tegory:</source>
        <translation>类别(&amp;T)：</translation>
    </message>
    <message>
        <source>Se&amp;verity:</source>
        <translation>严重程度(&amp;V)：</translation>
    </message>
    <message>
        <source>&amp;What happened:</source>
        <translation>投诉内容(&amp;W)：</translation>
    </message>
    <message>
        <source>Customer&apos;s de&amp;mand:</source>
        <translation>客户诉求(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Department:</source>
        <translation>责任部门(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Assignee:</source>
        <translation>处理人(&amp;A)：</translation>
    </message>
    <message>
        <source>Company at &amp;fault:</source>
        <translation>本公司责任(&amp;F)：</translation>
    </message>
    <message>
        <source>Save the complaint</source>
        <translation>保存投诉</translation>
    </message>
    <message>
        <source>Save (Ctrl+Enter)</source>
        <translation>保存 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>The call is saved together with the complaint.</source>
        <translation>这通来电将与投诉单一起保存。</translation>
    </message>
    <message>
        <source>&lt;i&gt;No card: write the number to call back&lt;/i&gt;</source>
        <translation>&lt;i&gt;无资料卡：请填写回访电话&lt;/i&gt;</translation>
    </message>
    <message>
        <source>(no unit)</source>
        <translation>（无房屋）</translation>
    </message>
    <message>
        <source>(the complaint&apos;s unit)</source>
        <translation>（投诉所登记的房屋）</translation>
    </message>
    <message>
        <source>Possibly a repeat</source>
        <translation>可能是重复投诉</translation>
    </message>
    <message>
        <source>There is already a complaint about the same place and category:</source>
        <translation>同一房屋、同一类别已有投诉：</translation>
    </message>
    <message>
        <source>Open the existing one</source>
        <translation>打开已有投诉</translation>
    </message>
    <message>
        <source>Save as a new complaint</source>
        <translation>作为新投诉保存</translation>
    </message>
    <message>
        <source>Back to the form</source>
        <translation>返回修改</translation>
    </message>
</context>
<context>
    <name>ComplaintSavedDialog</name>
    <message>
        <source>Complaint saved</source>
        <translation>投诉已登记</translation>
    </message>
    <message>
        <source>Read the complaint number to the caller:</source>
        <translation>请把投诉编号告诉来电人：</translation>
    </message>
    <message>
        <source>Complaint number</source>
        <translation>投诉编号</translation>
    </message>
    <message>
        <source>What the complaint is about</source>
        <translation>投诉内容</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <source>Text message to send the caller:</source>
        <translation>发给来电人的短信：</translation>
    </message>
    <message>
        <source>Text message to send the caller</source>
        <translation>发给来电人的短信</translation>
    </message>
    <message>
        <source>Copy &amp;message</source>
        <translation>复制短信(&amp;M)</translation>
    </message>
    <message>
        <source>Copy the text message</source>
        <translation>复制短信内容</translation>
    </message>
    <message>
        <source>&amp;Copy number</source>
        <translation>复制编号(&amp;C)</translation>
    </message>
    <message>
        <source>Copy the complaint number</source>
        <translation>复制投诉编号</translation>
    </message>
    <message>
        <source>Copy the number (Ctrl+C)</source>
        <translation>复制编号（Ctrl+C）</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Message copied: paste it into the text message or WeChat.</source>
        <translation>短信内容已复制：粘贴到短信或微信中发送。</translation>
    </message>
    <message>
        <source>Number {number} copied: paste it where it is needed.</source>
        <translation>编号 {number} 已复制，可粘贴到需要的地方。</translation>
    </message>
</context>
<context>
    <name>ComplaintSlip</name>
    <message>
        <source>Complaint form</source>
        <translation>投诉处理单</translation>
    </message>
    <message>
        <source>Stub copy</source>
        <translation>存根联</translation>
    </message>
    <message>
        <source>Work copy</source>
        <translation>派工联</translation>
    </message>
    <message>
        <source>No. {number}</source>
        <translation>编号：{number}</translation>
    </message>
    <message>
        <source>Registered: {when}</source>
        <translation>登记时间：{when}</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>房号</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>投诉内容</translation>
    </message>
    <message>
        <source>Customer&apos;s demand</source>
        <translation>客户诉求</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>责任部门</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>处理人</translation>
    </message>
    <message>
        <source>Respond by</source>
        <translation>响应时限</translation>
    </message>
    <message>
        <source>Resolve by</source>
        <translation>解决时限</translation>
    </message>
    <message>
        <source>Company at fault</source>
        <translation>本公司责任</translation>
    </message>
    <message>
        <source>Handling result</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>Measures taken</source>
        <translation>纠正/预防措施</translation>
    </message>
    <message>
        <source>Dispatched by</source>
        <translation>派单人</translation>
    </message>
    <message>
        <source>Handled by</source>
        <translation>处理人</translation>
    </message>
    <message>
        <source>Customer&apos;s confirmation</source>
        <translation>客户确认</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Callback record</source>
        <translation>回访记录</translation>
    </message>
    <message>
        <source>Callback date</source>
        <translation>回访日期</translation>
    </message>
    <message>
        <source>Callback by</source>
        <translation>回访人</translation>
    </message>
    <message>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>Fairly satisfied</source>
        <translation>基本满意</translation>
    </message>
    <message>
        <source>Dissatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <source>Comments</source>
        <translation>回访意见</translation>
    </message>
    <message>
        <source>No. {number}, continued (page {page})</source>
        <translation>编号 {number}（续，第 {page} 页）</translation>
    </message>
    <message>
        <source>Complaint form, rework {count}</source>
        <translation>投诉处理单（第 {count} 次返工）</translation>
    </message>
    <message>
        <source>Rework reason</source>
        <translation>返工原因</translation>
    </message>
    <message>
        <source>See page 2</source>
        <translation>续见第 2 页</translation>
    </message>
    <message>
        <source>Print complaint form</source>
        <translation>打印投诉处理单</translation>
    </message>
    <message>
        <source>Cannot create the folder for {path}: {reason}</source>
        <translation>无法为 {path} 创建文件夹：{reason}</translation>
    </message>
    <message>
        <source>Could not write {path}. Is it open in another program, or is the folder read-only?</source>
        <translation>无法写入 {path}。文件是否正被其他程序打开，或文件夹为只读？</translation>
    </message>
</context>
<context>
    <name>ComplaintTableModel</name>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门/处理人</translation>
    </message>
    <message>
        <source>Response due</source>
        <translation>响应时限</translation>
    </message>
    <message>
        <source>Resolution due</source>
        <translation>解决时限</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>投诉内容</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>登记时间</translation>
    </message>
    <message>
        <source>(reworked {n} time(s))</source>
        <translation>（已返工 {n} 次）</translation>
    </message>
</context>
<context>
    <name>Complaints</name>
    <message>
        <source>{numbers} is already about the same place and category. Open it instead, or save this one as a new complaint.</source>
        <translation>{numbers} 与这张投诉同一房屋、同一类别。请打开已有的投诉，或确认作为新投诉保存。</translation>
    </message>
    <message>
        <source>Choose what the complaint is about.</source>
        <translation>请选择投诉类别。</translation>
    </message>
    <message>
        <source>Write what happened.</source>
        <translation>请填写投诉内容。</translation>
    </message>
    <message>
        <source>At most {n} characters.</source>
        <translation>最多 {n} 个字。</translation>
    </message>
    <message>
        <source>{number} is not a phone number we can call back.</source>
        <translation>{number} 不是可以回访的电话号码。</translation>
    </message>
    <message>
        <source>That customer card no longer exists; choose it again.</source>
        <translation>该客户资料卡已不存在，请重新选择。</translation>
    </message>
    <message>
        <source>Choose the customer&apos;s card or write a number to call them back on.</source>
        <translation>请选择客户资料卡，或填写回访电话。</translation>
    </message>
    <message>
        <source>That unit no longer exists; choose it again.</source>
        <translation>该房屋已不存在，请重新选择。</translation>
    </message>
    <message>
        <source>That department no longer takes work; choose another.</source>
        <translation>该部门已停用，请选择其他部门。</translation>
    </message>
    <message>
        <source>That person can no longer be assigned; choose another.</source>
        <translation>此人已不能接单，请选择其他处理人。</translation>
    </message>
    <message>
        <source>Choose the department the assignee works for.</source>
        <translation>请选择处理人所在的部门。</translation>
    </message>
    <message>
        <source>That call no longer exists.</source>
        <translation>该来电记录已不存在。</translation>
    </message>
    <message>
        <source>Someone else changed {number} while you had it open. Close the form and open it again to see their change.</source>
        <translation>您打开 {number} 期间，其他人修改了它。请关闭后重新打开，查看对方的修改。</translation>
    </message>
    <message>
        <source>Choose the department.</source>
        <translation>请选择部门。</translation>
    </message>
    <message>
        <source>Write how it was resolved.</source>
        <translation>请填写处理结果。</translation>
    </message>
    <message>
        <source>That complaint no longer exists. Refresh the list.</source>
        <translation>该投诉已不存在，请刷新列表。</translation>
    </message>
    <message>
        <source>There is no complaint numbered {number}.</source>
        <translation>没有编号为 {number} 的投诉。</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>To be determined</source>
        <translation>待定</translation>
    </message>
</context>
<context>
    <name>ComplaintsTab</name>
    <message>
        <source>Complaints</source>
        <translation>投诉处理</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>未结</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>时限</translation>
    </message>
    <message>
        <source>Any deadline</source>
        <translation>全部时限</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Any severity</source>
        <translation>全部程度</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>All departments</source>
        <translation>全部部门</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Only complaints registered between two dates</source>
        <translation>只看某段日期内登记的投诉</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <source>Only complaints I registered, dispatched or handle</source>
        <translation>只看我登记、派单或处理的投诉</translation>
    </message>
    <message>
        <source>Search complaints</source>
        <translation>搜索投诉</translation>
    </message>
    <message>
        <source>number, customer or words (Ctrl+F)</source>
        <translation>编号、客户或关键词（Ctrl+F）</translation>
    </message>
    <message>
        <source>Complaints shown</source>
        <translation>显示的投诉</translation>
    </message>
    <message>
        <source>New complaint</source>
        <translation>新建投诉</translation>
    </message>
    <message>
        <source>Slip paper</source>
        <translation>处理单纸张</translation>
    </message>
    <message>
        <source>A4</source>
        <translation>A4</translation>
    </message>
    <message>
        <source>A5</source>
        <translation>A5</translation>
    </message>
    <message>
        <source>Two copies on A4</source>
        <translation>A4 两联（存根联/派工联）</translation>
    </message>
    <message>
        <source>Print the department&apos;s new slips…</source>
        <translation>打印本部门新派单…</translation>
    </message>
    <message>
        <source>Print the slips of the department&apos;s new complaints</source>
        <translation>打印该部门新派投诉的处理单</translation>
    </message>
    <message>
        <source>Complaint form</source>
        <translation>投诉处理单</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>处理记录</translation>
    </message>
    <message>
        <source>&amp;Dispatch (Ctrl+D)</source>
        <translation>派单(&amp;D)（Ctrl+D）</translation>
    </message>
    <message>
        <source>&amp;Just mine</source>
        <translation>我的(&amp;J)</translation>
    </message>
    <message>
        <source>Ne&amp;w complaint (Ctrl+N)</source>
        <translation>新建投诉(&amp;W)（Ctrl+N）</translation>
    </message>
    <message>
        <source>Export list… (&amp;Q)</source>
        <translation>导出列表(&amp;Q)…</translation>
    </message>
    <message>
        <source>Export the complaints shown to Excel</source>
        <translation>将显示的投诉导出到 Excel</translation>
    </message>
    <message>
        <source>Modif&amp;y (Ctrl+E)</source>
        <translation>修改(&amp;Y)（Ctrl+E）</translation>
    </message>
    <message>
        <source>Re-disp&amp;atch…</source>
        <translation>转派(&amp;A)…</translation>
    </message>
    <message>
        <source>Start (Ctrl+&amp;G)</source>
        <translation>开始处理（Ctrl+&amp;G）</translation>
    </message>
    <message>
        <source>Reso&amp;lve (Ctrl+R)</source>
        <translation>处理完毕(&amp;L)（Ctrl+R）</translation>
    </message>
    <message>
        <source>Callbac&amp;k result (Ctrl+B)</source>
        <translation>回访结果(&amp;K)（Ctrl+B）</translation>
    </message>
    <message>
        <source>&amp;Note (Ctrl+M)</source>
        <translation>备注(&amp;N)（Ctrl+M）</translation>
    </message>
    <message>
        <source>Print &amp;slip (Ctrl+P)</source>
        <translation>打印处理单(&amp;S)（Ctrl+P）</translation>
    </message>
    <message>
        <source>Cancel co&amp;mplaint…</source>
        <translation>撤销投诉(&amp;M)…</translation>
    </message>
    <message>
        <source>Arch&amp;ive</source>
        <translation>归档(&amp;I)</translation>
    </message>
    <message>
        <source>E&amp;xport slip as PDF…</source>
        <translation>处理单存为 PDF(&amp;X)…</translation>
    </message>
    <message>
        <source>Save the slip as PDF</source>
        <translation>将处理单保存为 PDF</translation>
    </message>
    <message>
        <source>Slip:</source>
        <translation>处理单：</translation>
    </message>
    <message>
        <source>Export complaints</source>
        <translation>导出投诉</translation>
    </message>
    <message>
        <source>Complaints {date}.xlsx</source>
        <translation>投诉-{date}.xlsx</translation>
    </message>
    <message>
        <source>Exporting complaints…</source>
        <translation>正在导出投诉…</translation>
    </message>
    <message>
        <source>Complaints saved: {path}</source>
        <translation>投诉已导出：{path}</translation>
    </message>
    <message>
        <source>{n} complaint(s)</source>
        <translation>{n} 张投诉</translation>
    </message>
    <message>
        <source>Choose a complaint in the list.</source>
        <translation>请在列表中选择一张投诉。</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>To be determined</source>
        <translation>待定</translation>
    </message>
    <message>
        <source>done {when}</source>
        <translation>{when} 完成</translation>
    </message>
    <message>
        <source>(reworked {n} time(s))</source>
        <translation>（已返工 {n} 次）</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>投诉内容</translation>
    </message>
    <message>
        <source>Customer&apos;s demand</source>
        <translation>客户诉求</translation>
    </message>
    <message>
        <source>Deadlines</source>
        <translation>处理时限</translation>
    </message>
    <message>
        <source>Company at fault</source>
        <translation>本公司责任</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>Measures</source>
        <translation>纠正/预防措施</translation>
    </message>
    <message>
        <source>Callback</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>This complaint has no callback waiting. Look in the callback queue.</source>
        <translation>这张投诉没有待回访的记录，请到回访列表中查看。</translation>
    </message>
    <message>
        <source>Print slips</source>
        <translation>打印处理单</translation>
    </message>
    <message>
        <source>The department has no new complaints to print.</source>
        <translation>该部门没有需要打印的新投诉。</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Slip saved: {path}</source>
        <translation>处理单已保存：{path}</translation>
    </message>
</context>
<context>
    <name>Customer</name>
    <message>
        <source>Mr</source>
        <translation>先生</translation>
    </message>
    <message>
        <source>Ms</source>
        <translation>女士</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>业主</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>租户</translation>
    </message>
    <message>
        <source>Family member</source>
        <translation>家属</translation>
    </message>
    <message>
        <source>Merchant</source>
        <translation>商户</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>VIP</source>
        <translation>VIP/重点</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>Blacklist</source>
        <translation>黑名单</translation>
    </message>
</context>
<context>
    <name>CustomerDialog</name>
    <message>
        <source>Customer card: {name}</source>
        <translation>客户资料卡：{name}</translation>
    </message>
    <message>
        <source>New customer card</source>
        <translation>新建客户资料卡</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>称谓</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Customer type</source>
        <translation>客户类型</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>客户等级</translation>
    </message>
    <message>
        <source>Do not call back</source>
        <translation>勿回访</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Phone numbers</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>号码</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Do not call bac&amp;k</source>
        <translation>勿回访(&amp;K)</translation>
    </message>
    <message>
        <source>Add nu&amp;mber</source>
        <translation>添加号码(&amp;M)</translation>
    </message>
    <message>
        <source>Add number</source>
        <translation>添加号码</translation>
    </message>
    <message>
        <source>Remove number</source>
        <translation>删除号码</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>e.g. 3-2-1502 or 3栋2单元1502</source>
        <translation>例如 3-2-1502 或 3栋2单元1502</translation>
    </message>
    <message>
        <source>Units on file</source>
        <translation>已登记的房屋</translation>
    </message>
    <message>
        <source>Role at the unit</source>
        <translation>身份</translation>
    </message>
    <message>
        <source>Add &amp;unit</source>
        <translation>添加房屋(&amp;U)</translation>
    </message>
    <message>
        <source>Add unit</source>
        <translation>添加房屋</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>身份</translation>
    </message>
    <message>
        <source>Remove unit</source>
        <translation>删除房屋</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>姓名(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Title, type, tier:</source>
        <translation>称谓/类型/等级(&amp;T)：</translation>
    </message>
    <message>
        <source>N&amp;otes:</source>
        <translation>备注(&amp;O)：</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>Customer card pages</source>
        <translation>资料卡页面</translation>
    </message>
    <message>
        <source>&amp;Card</source>
        <translation>资料卡(&amp;C)</translation>
    </message>
    <message>
        <source>Calls, complaints and callbacks</source>
        <translation>来电、投诉和回访</translation>
    </message>
    <message>
        <source>&amp;All activity</source>
        <translation>全部往来(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation>历史记录(&amp;H)</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Com&amp;plaints</source>
        <translation>投诉处理(&amp;P)</translation>
    </message>
    <message>
        <source>Callbacks</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Call&amp;backs</source>
        <translation>回访(&amp;B)</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save (Ctrl+Enter)</source>
        <translation>保存 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Created {created} by {creator}; last changed {updated} by {updater}.</source>
        <translation>{creator} 于 {created} 建档；{updater} 于 {updated} 最后修改。</translation>
    </message>
    <message>
        <source>created the card</source>
        <translation>建立资料卡</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>修改了</translation>
    </message>
    <message>
        <source>merged another card into this one</source>
        <translation>将另一张资料卡合并到此卡</translation>
    </message>
    <message>
        <source>imported from a roster</source>
        <translation>从花名册导入</translation>
    </message>
    <message>
        <source>merged this card into another</source>
        <translation>将此卡合并到另一张资料卡</translation>
    </message>
    <message>
        <source>name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>title</source>
        <translation>称谓</translation>
    </message>
    <message>
        <source>type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>tier</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>do-not-call</source>
        <translation>勿回访</translation>
    </message>
    <message>
        <source>notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>phone numbers</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>units</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>&amp;All activity ({n})</source>
        <translation>全部往来(&amp;A) ({n})</translation>
    </message>
    <message>
        <source>Which unit</source>
        <translation>选择房屋</translation>
    </message>
    <message>
        <source>Which unit?</source>
        <translation>是哪一套房屋？</translation>
    </message>
    <message>
        <source>{text} is in more than one estate. Which unit is it?</source>
        <translation>{text} 在多个项目中都有，是哪一套？</translation>
    </message>
    <message>
        <source>Number on another card</source>
        <translation>号码已在其他资料卡上</translation>
    </message>
    <message>
        <source>&amp;Open {name}&apos;s card</source>
        <translation>打开{name}的资料卡(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Keep on both cards</source>
        <translation>两张卡都保留(&amp;K)</translation>
    </message>
    <message>
        <source>Keep on both cards</source>
        <translation>两张卡都保留</translation>
    </message>
    <message>
        <source>Com&amp;plaints ({n})</source>
        <translation>投诉(&amp;P)（{n}）</translation>
    </message>
    <message>
        <source>Call&amp;backs ({n})</source>
        <translation>回访(&amp;B)（{n}）</translation>
    </message>
    <message>
        <source>Show the complaint</source>
        <translation>查看投诉</translation>
    </message>
    <message>
        <source>Close the card and show this complaint? Changes to the card that are not saved yet are lost.</source>
        <translation>关闭资料卡并查看这张投诉？资料卡上尚未保存的修改将丢失。</translation>
    </message>
</context>
<context>
    <name>CustomerPrint</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>客户等级</translation>
    </message>
    <message>
        <source>Do not call back</source>
        <translation>勿回访</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Phones</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>建档</translation>
    </message>
    <message>
        <source>Last changed</source>
        <translation>最后修改</translation>
    </message>
    <message>
        <source>Customer card</source>
        <translation>客户资料卡</translation>
    </message>
    <message>
        <source>Printed {when}</source>
        <translation>打印时间：{when}</translation>
    </message>
    <message>
        <source>Print customer card</source>
        <translation>打印客户资料卡</translation>
    </message>
</context>
<context>
    <name>CustomerTableModel</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>称谓</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>客户等级</translation>
    </message>
    <message>
        <source>Phones</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <source> (do not call)</source>
        <translation>（勿回访）</translation>
    </message>
</context>
<context>
    <name>Customers</name>
    <message>
        <source>{text} is in more than one estate ({estates}); choose one, or write the estate first, like {example}.</source>
        <translation>{text} 在多个项目中都有（{estates}）；请选择一套，或在前面写明项目，如 {example}。</translation>
    </message>
    <message>
        <source>{number} is on the card of {name}{units}</source>
        <translation>{number} 已在{name}的资料卡上{units}</translation>
    </message>
    <message>
        <source> ({units})</source>
        <translation>（{units}）</translation>
    </message>
    <message>
        <source>{cards}. Open that card, or keep the number on both cards (a family sharing a landline).</source>
        <translation>{cards}。可以打开那张资料卡，或两张卡都保留这个号码（如一家人共用座机）。</translation>
    </message>
    <message>
        <source>Enter the customer&apos;s name.</source>
        <translation>请输入客户姓名。</translation>
    </message>
    <message>
        <source>The name can have at most {n} characters.</source>
        <translation>姓名最多 {n} 个字符。</translation>
    </message>
    <message>
        <source>{number} is not a usable phone number ({reason}).</source>
        <translation>{number} 不是可用的电话号码（{reason}）</translation>
    </message>
    <message>
        <source>{text} is not a unit; write it like 3-2-1502 or 3栋2单元1502.</source>
        <translation>“{text}”不是房屋，请写成 3-2-1502 或 3栋2单元1502。</translation>
    </message>
    <message>
        <source>{text} is too long for a unit.</source>
        <translation>“{text}”作为房屋太长了。</translation>
    </message>
    <message>
        <source>Enter at least a phone number or a unit, so the card can be found again.</source>
        <translation>请至少填写一个电话或一个房屋，以便以后能找到这张资料卡。</translation>
    </message>
    <message>
        <source>Notes can have at most {n} characters.</source>
        <translation>备注最多 {n} 个字符。</translation>
    </message>
    <message>
        <source>{who} changed this card while you had it open. Copy what you typed, close the card and open it again.</source>
        <translation>{who} 在您打开这张资料卡期间修改了它。请先复制您输入的内容，关闭资料卡后重新打开。</translation>
    </message>
    <message>
        <source>Someone</source>
        <translation>其他同事</translation>
    </message>
    <message>
        <source>Choose two different cards to merge.</source>
        <translation>请选择两张不同的资料卡进行合并。</translation>
    </message>
    <message>
        <source>That customer card no longer exists (it may have been merged). Search again.</source>
        <translation>该资料卡已不存在（可能已被合并），请重新搜索。</translation>
    </message>
</context>
<context>
    <name>CustomersTab</name>
    <message>
        <source>Customer cards</source>
        <translation>客户档案</translation>
    </message>
    <message>
        <source>Search customers</source>
        <translation>搜索客户</translation>
    </message>
    <message>
        <source>Name, pinyin (zs / zhangsan), 4+ digits of a phone number, or a unit (3-2-1502)</source>
        <translation>姓名、拼音（zs / zhangsan）、电话中任意 4 位以上数字，或房屋（3-2-1502）</translation>
    </message>
    <message>
        <source>Matching cards</source>
        <translation>匹配的资料卡数</translation>
    </message>
    <message>
        <source>New card</source>
        <translation>新建资料卡</translation>
    </message>
    <message>
        <source>Open card</source>
        <translation>打开资料卡</translation>
    </message>
    <message>
        <source>&amp;Merge…</source>
        <translation>合并(&amp;M)…</translation>
    </message>
    <message>
        <source>Merge two cards</source>
        <translation>合并两张资料卡</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>导出(&amp;X)…</translation>
    </message>
    <message>
        <source>Export to Excel</source>
        <translation>导出到 Excel</translation>
    </message>
    <message>
        <source>Print the customer card</source>
        <translation>打印客户资料卡</translation>
    </message>
    <message>
        <source>Ne&amp;w card</source>
        <translation>新建资料卡(&amp;W)</translation>
    </message>
    <message>
        <source>Ope&amp;n</source>
        <translation>打开(&amp;N)</translation>
    </message>
    <message>
        <source>Pr&amp;int…</source>
        <translation>打印(&amp;I)…</translation>
    </message>
    <message>
        <source>Import ro&amp;ster…</source>
        <translation>导入花名册(&amp;S)…</translation>
    </message>
    <message>
        <source>Import a roster</source>
        <translation>导入花名册</translation>
    </message>
    <message>
        <source>{n} card(s)</source>
        <translation>共 {n} 张</translation>
    </message>
    <message>
        <source>Merge cards</source>
        <translation>合并资料卡</translation>
    </message>
    <message>
        <source>Select exactly two cards of the same person (Ctrl+click), then merge.</source>
        <translation>请选中同一个人的两张资料卡（按住 Ctrl 点击），再合并。</translation>
    </message>
    <message>
        <source>Keep which card? The other one&apos;s numbers, units and history move to it.</source>
        <translation>保留哪一张？另一张的电话、房屋和历史记录会并入这张。</translation>
    </message>
    <message>
        <source>Export customer cards</source>
        <translation>导出客户档案</translation>
    </message>
    <message>
        <source>customers.xlsx</source>
        <translation>客户档案.xlsx</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Exporting customer cards…</source>
        <translation>正在导出客户档案…</translation>
    </message>
    <message>
        <source>Exported {n} card(s) to {path}.</source>
        <translation>已导出 {n} 张资料卡到 {path}。</translation>
    </message>
</context>
<context>
    <name>DailyReport</name>
    <message>
        <source>Inbound</source>
        <translation>来电（呼入）</translation>
    </message>
    <message>
        <source>Outbound</source>
        <translation>去电（呼出）</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>未接</translation>
    </message>
    <message>
        <source>Average handle time (min:s)</source>
        <translation>平均处理时长（分:秒）</translation>
    </message>
    <message>
        <source>First-call resolution</source>
        <translation>当场解决率</translation>
    </message>
    <message>
        <source>Complaints opened</source>
        <translation>转投诉单数</translation>
    </message>
    <message>
        <source>Callbacks done</source>
        <translation>完成回访</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Daily work report</source>
        <translation>每日工作报表</translation>
    </message>
    <message>
        <source>Calls in all</source>
        <translation>来电总数</translation>
    </message>
    <message>
        <source>Inbound answered</source>
        <translation>来电已接听</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>汇总</translation>
    </message>
    <message>
        <source>{day}, {operator}</source>
        <translation>{day}，{operator}</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Call list</source>
        <translation>来电明细</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>号码</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>来电人</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Seconds</source>
        <translation>秒数</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>客服专员</translation>
    </message>
</context>
<context>
    <name>DailyReportDialog</name>
    <message>
        <source>Daily work report</source>
        <translation>每日工作报表</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>客服专员</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>Print the report</source>
        <translation>打印报表</translation>
    </message>
    <message>
        <source>&amp;Excel…</source>
        <translation>导出 Excel(&amp;E)…</translation>
    </message>
    <message>
        <source>Save the report as an Excel workbook</source>
        <translation>将报表保存为 Excel 工作簿</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>&amp;Day:</source>
        <translation>日期(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Operator:</source>
        <translation>客服专员(&amp;O)：</translation>
    </message>
    <message>
        <source>All operators</source>
        <translation>全部客服</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>号码</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>来电人</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Overall</source>
        <translation>总体</translation>
    </message>
    <message>
        <source>By type</source>
        <translation>按类型</translation>
    </message>
    <message>
        <source>By outcome</source>
        <translation>按处理结果</translation>
    </message>
    <message>
        <source>daily-report-{day}.xlsx</source>
        <translation>每日工作报表-{day}.xlsx</translation>
    </message>
    <message>
        <source>Save the report</source>
        <translation>保存报表</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Saved to {path}.</source>
        <translation>已保存到 {path}。</translation>
    </message>
</context>
<context>
    <name>DamagedDatabaseDialog</name>
    <message>
        <source>The database is damaged</source>
        <translation>数据库已损坏</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Backups to restore</source>
        <translation>可恢复的备份</translation>
    </message>
    <message>
        <source>Taken</source>
        <translation>备份时间</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>记录数</translation>
    </message>
    <message>
        <source>Restore problem</source>
        <translation>恢复问题</translation>
    </message>
    <message>
        <source>&amp;Restore this backup</source>
        <translation>恢复这份备份(&amp;R)</translation>
    </message>
    <message>
        <source>Restore the chosen backup</source>
        <translation>恢复选中的备份</translation>
    </message>
    <message>
        <source>&amp;Quit CallDesk</source>
        <translation>退出 CallDesk(&amp;Q)</translation>
    </message>
    <message>
        <source>Quit CallDesk</source>
        <translation>退出 CallDesk</translation>
    </message>
    <message>
        <source>The database file {path} is damaged, so CallDesk cannot open it. Nothing has been changed.</source>
        <translation>数据库文件 {path} 已损坏，CallDesk 无法打开它。没有改动任何内容。</translation>
    </message>
    <message>
        <source>Restore a backup to go on working: the latest is chosen. The damaged file is kept beside it under a new name (for IT to look at), never overwritten; whatever was entered after the backup is only in the damaged file.</source>
        <translation>恢复一份备份即可继续工作：已选中最近的一份。损坏的文件会改名保留在原文件夹中（供信息部门检查），不会被覆盖；备份之后录入的内容只在损坏的文件里。</translation>
    </message>
    <message>
        <source>There is no backup in {folder} to restore. Quit and ask IT or the administrator for help; keep the damaged file as it is.</source>
        <translation>{folder} 中没有可恢复的备份。请退出并联系信息部门或系统管理员；请保持损坏的文件原样。</translation>
    </message>
    <message>
        <source>Restoring…</source>
        <translation>正在恢复…</translation>
    </message>
    <message>
        <source>Choose another backup.</source>
        <translation>请选择另一份备份。</translation>
    </message>
</context>
<context>
    <name>Database</name>
    <message>
        <source>There is no CallDesk database at {path}. Start CallDesk once to set it up (or run: calldesk db upgrade), or give the right one with --database.</source>
        <translation>{path} 处没有 CallDesk 数据库。请先启动一次 CallDesk 完成设置（或运行：calldesk db upgrade），或用 --database 指定正确的数据库。</translation>
    </message>
    <message>
        <source>The database {database} is empty. Start CallDesk once to set it up (or run: calldesk db upgrade).</source>
        <translation>数据库 {database} 是空的。请先启动一次 CallDesk 完成设置（或运行：calldesk db upgrade）。</translation>
    </message>
    <message>
        <source>The database {database} has an older schema ({current}) than this program ({head}). Run: calldesk db upgrade (it backs up SQLite first).</source>
        <translation>数据库 {database} 的结构版本（{current}）比本程序（{head}）旧。请运行：calldesk db upgrade（会先备份 SQLite 数据库）。</translation>
    </message>
    <message>
        <source>That is not a database address. It looks like postgresql://user:password@server:5432/calldesk</source>
        <translation>这不是有效的数据库地址。格式类似：postgresql://用户名:密码@服务器:5432/calldesk</translation>
    </message>
</context>
<context>
    <name>DatabaseProblem</name>
    <message>
        <source>The database is busy with another front desk&apos;s work. Wait a moment and try again; nothing you entered was lost.</source>
        <translation>数据库正在处理其他前台的操作，请稍等片刻再试；您输入的内容没有丢失。</translation>
    </message>
    <message>
        <source>The disk holding the database is full, so nothing could be saved. Free some space (or ask IT to), then try again.</source>
        <translation>数据库所在的磁盘已满，内容未能保存。请清理磁盘空间（或请信息部门协助）后再试。</translation>
    </message>
    <message>
        <source>The database can only be read, not written (a read-only folder, file or account). Ask IT to give CallDesk write access to its data folder.</source>
        <translation>数据库只能读取，无法写入（文件夹、文件或账号是只读的）。请信息部门为本程序的数据文件夹开通写入权限。</translation>
    </message>
    <message>
        <source>The database file is damaged. Close CallDesk and start it again: it offers to restore the latest good backup and keeps the damaged file. An administrator can also restore a backup in Tools → Backup and restore, or with: calldesk db restore FILE.</source>
        <translation>数据库文件已损坏。请关闭 CallDesk 后重新启动：程序会提供恢复最近一份完好备份的选项，并保留损坏的文件。系统管理员也可以在 工具 → 备份与恢复 中恢复备份，或运行：calldesk db restore 文件。</translation>
    </message>
    <message>
        <source>The database cannot be reached. Check the network cable or the database server, then try again.</source>
        <translation>无法连接数据库。请检查网线或数据库服务器，然后再试。</translation>
    </message>
    <message>
        <source>The database named in the database address does not exist on the server. Ask the administrator to create it or to correct the address.</source>
        <translation>数据库地址中指定的数据库在服务器上不存在。请系统管理员创建该数据库或更正地址。</translation>
    </message>
    <message>
        <source>The database server refused the user name or password in the database address. Ask the administrator to check the database settings.</source>
        <translation>数据库服务器拒绝了数据库地址中的用户名或密码。请系统管理员检查数据库设置。</translation>
    </message>
    <message>
        <source>The database {path} is on a network share. CallDesk&apos;s embedded database must be on this PC&apos;s own disk: over a network, SQLite files get damaged. To share one database between several front desks, set up a PostgreSQL server and enter its address in Tools → Settings → This PC (see README: Several front desks, one database). Nothing was opened or changed.</source>
        <translation>数据库 {path} 位于网络共享上。CallDesk 的内置数据库必须放在本机自己的磁盘上：通过网络访问，SQLite 文件会损坏。若要多个前台共用一个数据库，请架设 PostgreSQL 服务器，并在 工具 → 设置 → 本机 中填写其地址（见 README：多个前台共用一个数据库）。没有打开或改动任何内容。</translation>
    </message>
</context>
<context>
    <name>DateRange</name>
    <message>
        <source>Date range problem</source>
        <translation>日期范围有误</translation>
    </message>
    <message>
        <source>The start date {start} is after the end date {end}, so no day is in between. Choose a start date on or before the end date.</source>
        <translation>开始日期 {start} 晚于结束日期 {end}，这段时间里没有任何一天。请把开始日期改为不晚于结束日期。</translation>
    </message>
</context>
<context>
    <name>DeadlineRulesDialog</name>
    <message>
        <source>Deadline rules and working calendar</source>
        <translation>处理时限与工作日历</translation>
    </message>
    <message>
        <source>Deadline rules pages</source>
        <translation>处理时限设置页</translation>
    </message>
    <message>
        <source>Deadline rules</source>
        <translation>处理时限</translation>
    </message>
    <message>
        <source>Working calendar</source>
        <translation>工作日历</translation>
    </message>
    <message>
        <source>Why the rules were not saved</source>
        <translation>未能保存的原因</translation>
    </message>
    <message>
        <source>Save the deadline rules and the working calendar</source>
        <translation>保存处理时限与工作日历</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Opening time</source>
        <translation>上班时间</translation>
    </message>
    <message>
        <source>Closing time</source>
        <translation>下班时间</translation>
    </message>
    <message>
        <source>HH:MM</source>
        <translation>时:分</translation>
    </message>
    <message>
        <source>&amp;Opening time:</source>
        <translation>上班时间(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Closing time:</source>
        <translation>下班时间(&amp;C)：</translation>
    </message>
    <message>
        <source>Length of a working day</source>
        <translation>每个工作日的时长</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Response time (hours)</source>
        <translation>响应时限（小时）</translation>
    </message>
    <message>
        <source>Resolution time (hours)</source>
        <translation>解决时限（小时）</translation>
    </message>
    <message>
        <source>Around the clock</source>
        <translation>全天候计时</translation>
    </message>
    <message>
        <source>&amp;Add rule</source>
        <translation>添加规则(&amp;A)</translation>
    </message>
    <message>
        <source>Add rule</source>
        <translation>添加规则</translation>
    </message>
    <message>
        <source>&amp;Remove rule</source>
        <translation>删除规则(&amp;R)</translation>
    </message>
    <message>
        <source>Remove rule</source>
        <translation>删除规则</translation>
    </message>
    <message>
        <source>The rules for every category apply to each category without a rule of its own, so they cannot be removed. Around the clock counts nights, weekends and holidays too, e.g. for urgent leaks.</source>
        <translation>“全部类别”的规则适用于没有单独规则的类别，因此不能删除。全天候计时把夜间、周末和节假日也算在内，例如紧急漏水。</translation>
    </message>
    <message>
        <source>Public holidays and make-up working days come from the Chinese holiday calendar for the years whose schedule is published, and the statutory holidays by rule for later years. List here the days that differ: a year&apos;s schedule once it is published, or a local arrangement. A day listed here always wins.</source>
        <translation>已公布放假安排的年份，法定节假日和调休上班日取自中国节假日日历；更晚的年份按规则推算法定节假日。与之不同的日子列在这里：某年的放假安排公布后录入，或本地的安排。这里列出的日子总是优先。</translation>
    </message>
    <message>
        <source>Enter a &amp;year&apos;s schedule…</source>
        <translation>录入全年放假安排(&amp;Y)…</translation>
    </message>
    <message>
        <source>Enter a year&apos;s holiday schedule</source>
        <translation>录入全年放假安排</translation>
    </message>
    <message>
        <source>The official holiday schedule for {year} is not known yet: deadlines in {year} count the statutory public holidays by rule, but no make-up working day. When the State Council publishes it, press “Enter a year&apos;s schedule…” and copy it in.</source>
        <translation>{year} 年的官方放假安排（调休）尚未知晓：{year} 年的处理时限按规则推算的法定节假日计算，但不含任何调休上班日。国务院公布后，请点击“录入全年放假安排…”照抄录入。</translation>
    </message>
    <message>
        <source>No public holidays are known for {year}: deadlines in {year} count Monday to Friday as working days. Press “Enter a year&apos;s schedule…” and enter {year}&apos;s holidays and make-up working days.</source>
        <translation>尚不知道 {year} 年的法定节假日：{year} 年的处理时限把周一至周五都算作工作日。请点击“录入全年放假安排…”，录入 {year} 年的节假日和调休上班日。</translation>
    </message>
    <message>
        <source>Years without public holidays</source>
        <translation>缺少节假日数据的年份</translation>
    </message>
    <message>
        <source>Save (Ctrl+Enter)</source>
        <translation>保存 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Kind of day</source>
        <translation>日期类型</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>A&amp;dd day</source>
        <translation>添加日期(&amp;D)</translation>
    </message>
    <message>
        <source>Add day</source>
        <translation>添加日期</translation>
    </message>
    <message>
        <source>Re&amp;move day</source>
        <translation>删除日期(&amp;M)</translation>
    </message>
    <message>
        <source>Remove day</source>
        <translation>删除日期</translation>
    </message>
    <message>
        <source>Times are in working hours. Enter the opening and closing times as HH:MM, e.g. 08:30 and 17:30.</source>
        <translation>时限按工作时间计算。上下班时间请按“时:分”填写，例如 08:30 和 17:30。</translation>
    </message>
    <message>
        <source>Times are in working hours, one decimal allowed (0.5 is half an hour): a working day has {hours} hours, from {start} to {end}.</source>
        <translation>时限按工作小时计算，可填一位小数（0.5 即半小时）：每个工作日 {hours} 小时，从 {start} 到 {end}。</translation>
    </message>
    <message>
        <source>Every category</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>Applies to every category without a rule of its own; it cannot be removed.</source>
        <translation>适用于没有单独规则的所有类别，不能删除。</translation>
    </message>
    <message>
        <source>Response time in hours</source>
        <translation>响应时限（小时）</translation>
    </message>
    <message>
        <source>Resolution time in hours</source>
        <translation>解决时限（小时）</translation>
    </message>
    <message>
        <source>Counted around the clock</source>
        <translation>全天候计时</translation>
    </message>
    <message>
        <source>Day off</source>
        <translation>休息日</translation>
    </message>
    <message>
        <source>Working day</source>
        <translation>工作日</translation>
    </message>
    <message>
        <source>e.g. New Year&apos;s Day, or a make-up working day</source>
        <translation>例如：元旦，或春节调休上班</translation>
    </message>
</context>
<context>
    <name>Deadlines</name>
    <message>
        <source>The official holiday schedule for {year} is not known yet: deadlines in {year} count the statutory public holidays, but no make-up working day. Enter the schedule in the working calendar once it is published.</source>
        <translation>{year} 年的官方放假安排（调休）尚未知晓：{year} 年的处理时限只按法定节假日计算，不含任何调休上班日。公布后请在工作日历中录入。</translation>
    </message>
    <message>
        <source>No public holidays are known for {year}: deadlines in {year} count Monday to Friday as working days. Enter the year&apos;s holidays and make-up working days in the working calendar.</source>
        <translation>尚不知道 {year} 年的法定节假日：{year} 年的处理时限把周一至周五都算作工作日。请在工作日历中录入该年的节假日和调休上班日。</translation>
    </message>
    <message>
        <source>{holiday}: the last day off is before the first.</source>
        <translation>{holiday}：放假最后一天早于第一天。</translation>
    </message>
    <message>
        <source>{holiday}: more than {days} days off in a row; check the dates.</source>
        <translation>{holiday}：连续放假超过 {days} 天，请核对日期。</translation>
    </message>
    <message>
        <source>{holiday}: {day} is both a day off and a make-up working day.</source>
        <translation>{holiday}：{day} 既是放假日又是调休上班日。</translation>
    </message>
    <message>
        <source>{holiday}: the make-up working day {day} is more than a month from the holiday; check the date.</source>
        <translation>{holiday}：调休上班日 {day} 距离假期超过一个月，请核对日期。</translation>
    </message>
    <message>
        <source>Make-up working day ({holiday})</source>
        <translation>调休上班（{holiday}）</translation>
    </message>
    <message>
        <source>Write the opening time as HH:MM, e.g. 08:30.</source>
        <translation>请按“时:分”填写上班时间，例如 08:30。</translation>
    </message>
    <message>
        <source>Write the closing time as HH:MM, e.g. 17:30.</source>
        <translation>请按“时:分”填写下班时间，例如 17:30。</translation>
    </message>
    <message>
        <source>The closing time must be after the opening time.</source>
        <translation>下班时间必须晚于上班时间。</translation>
    </message>
    <message>
        <source>There are two rules for {category} / {severity}; keep one.</source>
        <translation>“{category} / {severity}”有两条规则，请只保留一条。</translation>
    </message>
    <message>
        <source>Times must be more than zero ({category} / {severity}).</source>
        <translation>时限必须大于零（{category} / {severity}）。</translation>
    </message>
    <message>
        <source>The response time cannot be longer than the resolution time ({category} / {severity}).</source>
        <translation>响应时限不能长于解决时限（{category} / {severity}）。</translation>
    </message>
    <message>
        <source>Keep a rule for every category at severity “{severity}”.</source>
        <translation>请保留“全部类别 / {severity}”的规则。</translation>
    </message>
    <message>
        <source>{day} is listed twice; keep one line for it.</source>
        <translation>{day} 出现了两次，请只保留一行。</translation>
    </message>
    <message>
        <source>every category</source>
        <translation>全部类别</translation>
    </message>
</context>
<context>
    <name>Demo</name>
    <message>
        <source>This database already has users; demo data goes only into a new, empty database.</source>
        <translation>这个数据库已有用户；演示数据只能写入新的空数据库。</translation>
    </message>
</context>
<context>
    <name>Departments</name>
    <message>
        <source>Enter the department&apos;s name.</source>
        <translation>请输入部门名称。</translation>
    </message>
    <message>
        <source>The name can have at most 40 characters.</source>
        <translation>名称最多 40 个字符。</translation>
    </message>
    <message>
        <source>There is already a department called {name}.</source>
        <translation>已有名为“{name}”的部门。</translation>
    </message>
    <message>
        <source>That department no longer exists. Refresh the list.</source>
        <translation>该部门已不存在，请刷新列表。</translation>
    </message>
    <message>
        <source>The department chosen for {category} no longer exists or was deactivated. Choose another.</source>
        <translation>为“{category}”选择的部门已不存在或已停用，请另选一个。</translation>
    </message>
</context>
<context>
    <name>DepartmentsDialog</name>
    <message>
        <source>Departments</source>
        <translation>部门管理</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>新增(&amp;A)…</translation>
    </message>
    <message>
        <source>Add department</source>
        <translation>新增部门</translation>
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation>重命名(&amp;R)…</translation>
    </message>
    <message>
        <source>Rename department</source>
        <translation>重命名部门</translation>
    </message>
    <message>
        <source>&amp;Deactivate</source>
        <translation>停用(&amp;D)</translation>
    </message>
    <message>
        <source>Deactivate or activate</source>
        <translation>停用或启用</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Default department by complaint category</source>
        <translation>各类投诉的默认部门</translation>
    </message>
    <message>
        <source>Default department for {category}</source>
        <translation>“{category}”的默认部门</translation>
    </message>
    <message>
        <source>&amp;Save defaults</source>
        <translation>保存默认部门(&amp;S)</translation>
    </message>
    <message>
        <source>Save the default departments</source>
        <translation>保存默认部门</translation>
    </message>
    <message>
        <source>Default departments saved</source>
        <translation>默认部门已保存</translation>
    </message>
    <message>
        <source>(dispatch by hand)</source>
        <translation>（手动派单）</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>{name} (deactivated)</source>
        <translation>{name}（已停用）</translation>
    </message>
    <message>
        <source>&amp;Activate</source>
        <translation>启用(&amp;A)</translation>
    </message>
    <message>
        <source>Department name:</source>
        <translation>部门名称：</translation>
    </message>
</context>
<context>
    <name>DispatchDialog</name>
    <message>
        <source>Re-dispatch {number}</source>
        <translation>转派 {number}</translation>
    </message>
    <message>
        <source>Dispatch {number}</source>
        <translation>派单 {number}</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>处理人</translation>
    </message>
    <message>
        <source>optional: who will do it</source>
        <translation>可不填：由谁处理</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Why it moves to another department (required)</source>
        <translation>为什么转给其他部门（必填）</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>可不填</translation>
    </message>
    <message>
        <source>&amp;Department:</source>
        <translation>部门(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Assignee:</source>
        <translation>处理人(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Note:</source>
        <translation>备注(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>原因(&amp;R)：</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Database problem</source>
        <translation>数据库问题</translation>
    </message>
    <message>
        <source>CallDesk</source>
        <translation>物业客服工作台</translation>
    </message>
    <message>
        <source>Something unexpected went wrong. What you entered was not lost, and you can keep working. If it happens again, send the log file to the administrator.</source>
        <translation>出现了一个意外问题。您输入的内容没有丢失，可以继续工作。如果再次出现，请把日志文件发给系统管理员。</translation>
    </message>
    <message>
        <source>Unexpected problem</source>
        <translation>意外问题</translation>
    </message>
    <message>
        <source>Log file: {path}</source>
        <translation>日志文件：{path}</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>打开日志文件夹</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>Customers</source>
        <translation>客户档案</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>称谓</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>客户等级</translation>
    </message>
    <message>
        <source>Do not call</source>
        <translation>勿回访</translation>
    </message>
    <message>
        <source>Phones</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>{n} of {total} cards</source>
        <translation>{n} / {total} 张</translation>
    </message>
    <message>
        <source>{name} cannot be written. Close it in Excel, or choose another name.</source>
        <translation>无法写入 {name}。请在 Excel 中关闭它，或换一个文件名。</translation>
    </message>
    <message>
        <source>Writing the list…</source>
        <translation>正在写入列表…</translation>
    </message>
    <message>
        <source>{n} of {total} rows</source>
        <translation>第 {n} / {total} 行</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>FileDialogs</name>
    <message>
        <source>&amp;Open file</source>
        <translation>打开文件(&amp;O)</translation>
    </message>
    <message>
        <source>Open the file</source>
        <translation>打开文件</translation>
    </message>
    <message>
        <source>Open &amp;folder</source>
        <translation>打开所在文件夹(&amp;F)</translation>
    </message>
    <message>
        <source>Open the folder it is in</source>
        <translation>打开文件所在的文件夹</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>FilePage</name>
    <message>
        <source>Choose the workbook</source>
        <translation>选择工作簿</translation>
    </message>
    <message>
        <source>An Excel roster (.xlsx) with a name and a phone column; title rows above the header are fine.</source>
        <translation>Excel 花名册（.xlsx），需有姓名列和电话列；表头上方有标题行也没关系。</translation>
    </message>
    <message>
        <source>Workbook</source>
        <translation>工作簿</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>工作表</translation>
    </message>
    <message>
        <source>&amp;Workbook:</source>
        <translation>工作簿(&amp;W)：</translation>
    </message>
    <message>
        <source>&amp;Sheet:</source>
        <translation>工作表(&amp;S)：</translation>
    </message>
    <message>
        <source>Choose the roster</source>
        <translation>选择花名册</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>Header found in row {row}: {headers}</source>
        <translation>在第 {row} 行找到表头：{headers}</translation>
    </message>
</context>
<context>
    <name>GlobalSearchBox</name>
    <message>
        <source>Search everything</source>
        <translation>全局搜索</translation>
    </message>
    <message>
        <source>Number, phone, name, unit (Ctrl+K)</source>
        <translation>单号、电话、姓名、房号（Ctrl+K）</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>搜索结果</translation>
    </message>
    <message>
        <source>Nothing found for “{text}”</source>
        <translation>没有找到“{text}”</translation>
    </message>
</context>
<context>
    <name>Handover</name>
    <message>
        <source>Worked on this shift, still open</source>
        <translation>本班经手、仍未办结</translation>
    </message>
    <message>
        <source>Missed calls not returned</source>
        <translation>未回拨的未接来电</translation>
    </message>
    <message>
        <source>Callbacks due by the next shift&apos;s end</source>
        <translation>下一班结束前到期的回访</translation>
    </message>
    <message>
        <source>Overdue complaints</source>
        <translation>超时投诉</translation>
    </message>
    <message>
        <source>Write the times shifts change as HH:MM, separated by commas, e.g. 08:00,16:00.</source>
        <translation>换班时间请写成 时:分，用逗号隔开，例如 08:00,16:00。</translation>
    </message>
    <message>
        <source>Write each time shifts change once, in the day&apos;s order, e.g. 08:00,16:00.</source>
        <translation>每个换班时间只写一次，按时间先后排列，例如 08:00,16:00。</translation>
    </message>
    <message>
        <source>At most {n} characters.</source>
        <translation>最多 {n} 个字。</translation>
    </message>
    <message>
        <source>That handover no longer exists.</source>
        <translation>该交接班记录已不存在。</translation>
    </message>
    <message>
        <source>This handover was already taken over. Refresh.</source>
        <translation>这份交接已有人接班。请刷新。</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>交接说明</translation>
    </message>
    <message>
        <source>None.</source>
        <translation>无。</translation>
    </message>
</context>
<context>
    <name>HandoverDialog</name>
    <message>
        <source>Shift handover</source>
        <translation>交接班</translation>
    </message>
    <message>
        <source>What the next shift takes over</source>
        <translation>下一班要接手的事项</translation>
    </message>
    <message>
        <source>&amp;Notes for the next shift:</source>
        <translation>给下一班的说明(&amp;N)：</translation>
    </message>
    <message>
        <source>Notes for the next shift</source>
        <translation>给下一班的说明</translation>
    </message>
    <message>
        <source>e.g. the lift of building 3 is serviced until 15:00; Ms Wang calls back this afternoon</source>
        <translation>例如：3栋电梯维保到 15:00；王女士下午会再来电</translation>
    </message>
    <message>
        <source>Hand over (Ctrl+Enter)</source>
        <translation>交班（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Hand over</source>
        <translation>交班</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>Print the handover</source>
        <translation>打印交接班记录</translation>
    </message>
    <message>
        <source>Handover of the shift</source>
        <translation>交接班记录</translation>
    </message>
</context>
<context>
    <name>HandoverReadDialog</name>
    <message>
        <source>Handover from {name}</source>
        <translation>{name} 的交接班记录</translation>
    </message>
    <message>
        <source>The last shift&apos;s handover</source>
        <translation>上一班的交接</translation>
    </message>
    <message>
        <source>Handover of the shift</source>
        <translation>交接班记录</translation>
    </message>
    <message>
        <source>{name}, handed over {at}</source>
        <translation>{name}，{at} 交班</translation>
    </message>
    <message>
        <source>&amp;Take over (Ctrl+Enter)</source>
        <translation>接班(&amp;T)（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Take over the shift</source>
        <translation>接班</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>Print the handover</source>
        <translation>打印交接班记录</translation>
    </message>
</context>
<context>
    <name>Holiday</name>
    <message>
        <source>New Year&apos;s Day</source>
        <translation>元旦</translation>
    </message>
    <message>
        <source>Spring Festival</source>
        <translation>春节</translation>
    </message>
    <message>
        <source>Tomb-Sweeping Day</source>
        <translation>清明节</translation>
    </message>
    <message>
        <source>Labour Day</source>
        <translation>劳动节</translation>
    </message>
    <message>
        <source>Dragon Boat Festival</source>
        <translation>端午节</translation>
    </message>
    <message>
        <source>Mid-Autumn Festival</source>
        <translation>中秋节</translation>
    </message>
    <message>
        <source>National Day</source>
        <translation>国庆节</translation>
    </message>
</context>
<context>
    <name>HomeTab</name>
    <message>
        <source>Home</source>
        <translation>首页</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Hello, {name}&lt;/h2&gt;Signed in as {role}.</source>
        <translation>&lt;h2&gt;{name}，您好&lt;/h2&gt;当前身份：{role}。</translation>
    </message>
    <message>
        <source>Scripts</source>
        <translation>话术</translation>
    </message>
    <message>
        <source>Greeting</source>
        <translation>问候语</translation>
    </message>
    <message>
        <source>Closing</source>
        <translation>结束语</translation>
    </message>
    <message>
        <source>Callback</source>
        <translation>回访话术</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy {script}</source>
        <translation>复制{script}</translation>
    </message>
    <message>
        <source>Working calendar warning</source>
        <translation>工作日历警告</translation>
    </message>
    <message>
        <source>Open the &amp;working calendar</source>
        <translation>打开工作日历(&amp;W)</translation>
    </message>
    <message>
        <source>Open the working calendar</source>
        <translation>打开工作日历</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <source>Import a customer roster</source>
        <translation>导入客户花名册</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>称谓</translation>
    </message>
    <message>
        <source>Customer type</source>
        <translation>客户类型</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Second phone</source>
        <translation>备用电话</translation>
    </message>
    <message>
        <source>Estate</source>
        <translation>项目/小区</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单元</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>房号</translation>
    </message>
    <message>
        <source>Unit in one cell</source>
        <translation>房屋（一格）</translation>
    </message>
    <message>
        <source>Role at the unit</source>
        <translation>身份</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>Incident</name>
    <message>
        <source>Water cut</source>
        <translation>停水</translation>
    </message>
    <message>
        <source>Power cut</source>
        <translation>停电</translation>
    </message>
    <message>
        <source>Lift out of order</source>
        <translation>电梯故障</translation>
    </message>
    <message>
        <source>Gas cut</source>
        <translation>停气</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
</context>
<context>
    <name>Incidents</name>
    <message>
        <source>{title} since {since}</source>
        <translation>{title}（{since} 起）</translation>
    </message>
    <message>
        <source>, expected to end {end}</source>
        <translation>，预计 {end} 恢复</translation>
    </message>
    <message>
        <source>Write what happened, e.g. water cut in building 3.</source>
        <translation>请写明发生了什么，例如：3栋停水。</translation>
    </message>
    <message>
        <source>At most {n} characters.</source>
        <translation>最多 {n} 个字。</translation>
    </message>
    <message>
        <source>The expected end must be still to come.</source>
        <translation>预计恢复时间必须晚于现在。</translation>
    </message>
    <message>
        <source>Too many buildings for one incident.</source>
        <translation>一个事件涉及的楼栋太多。</translation>
    </message>
    <message>
        <source>That incident no longer exists.</source>
        <translation>该事件已不存在。</translation>
    </message>
    <message>
        <source>This incident has ended already.</source>
        <translation>该事件已经结束。</translation>
    </message>
    <message>
        <source>{title} is over: tell the customer.</source>
        <translation>{title}已恢复：请告知客户。</translation>
    </message>
</context>
<context>
    <name>IncidentsDialog</name>
    <message>
        <source>Incidents</source>
        <translation>突发事件</translation>
    </message>
    <message>
        <source>&amp;End the chosen incident…</source>
        <translation>结束所选事件(&amp;E)…</translation>
    </message>
    <message>
        <source>End the chosen incident</source>
        <translation>结束所选事件</translation>
    </message>
    <message>
        <source>New incident</source>
        <translation>新建事件</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Estate</source>
        <translation>小区</translation>
    </message>
    <message>
        <source>empty: every estate</source>
        <translation>留空：所有小区</translation>
    </message>
    <message>
        <source>Buildings</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>Expected end</source>
        <translation>预计恢复时间</translation>
    </message>
    <message>
        <source>&amp;Not known yet</source>
        <translation>暂不确定(&amp;N)</translation>
    </message>
    <message>
        <source>Expected end not known</source>
        <translation>预计恢复时间暂不确定</translation>
    </message>
    <message>
        <source>What to tell callers</source>
        <translation>对来电人的说明</translation>
    </message>
    <message>
        <source>e.g. water cut in building 3</source>
        <translation>例如：3栋停水</translation>
    </message>
    <message>
        <source>e.g. 3, 5 (empty: all of them)</source>
        <translation>例如：3栋,5栋（留空：全部）</translation>
    </message>
    <message>
        <source>e.g. the main is being mended; water is back by 14:00, please store some</source>
        <translation>例如：水管抢修中，预计14:00恢复供水，请提前储水</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>类型(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;What happened:</source>
        <translation>事件(&amp;W)：</translation>
    </message>
    <message>
        <source>E&amp;state:</source>
        <translation>小区(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Buildings:</source>
        <translation>楼栋(&amp;B)：</translation>
    </message>
    <message>
        <source>E&amp;xpected end:</source>
        <translation>预计恢复(&amp;X)：</translation>
    </message>
    <message>
        <source>Tell &amp;callers:</source>
        <translation>告知来电人(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Open the incident (Ctrl+Enter)</source>
        <translation>发布事件(&amp;O)（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Open the incident</source>
        <translation>发布事件</translation>
    </message>
    <message>
        <source>active</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>ended {at}</source>
        <translation>{at} 已结束</translation>
    </message>
    <message>
        <source>{title} ({kind}) · since {since} · {state} · {n} call(s)</source>
        <translation>{title}（{kind}）· {since} 起 · {state} · 来电 {n} 个</translation>
    </message>
    <message>
        <source>End the incident</source>
        <translation>结束事件</translation>
    </message>
    <message>
        <source>End “{title}”? {n} call(s) were about it.</source>
        <translation>结束“{title}”？有 {n} 个来电与之相关。</translation>
    </message>
    <message>
        <source>Call the callers back to tell them it is over</source>
        <translation>回访来电客户，告知已恢复</translation>
    </message>
    <message>
        <source>Ended; {n} callback(s) added to the queue.</source>
        <translation>已结束；已加入 {n} 个回访。</translation>
    </message>
    <message>
        <source>Ended.</source>
        <translation>已结束。</translation>
    </message>
</context>
<context>
    <name>KpiTile</name>
    <message>
        <source>Complaint callbacks only, not missed-call callbacks</source>
        <translation>仅投诉回访，不含未接来电回拨</translation>
    </message>
    <message>
        <source>Callbacks to missed calls only</source>
        <translation>仅未接来电回拨</translation>
    </message>
    <message>
        <source>same days last month {value}</source>
        <translation>上月同期 {value}</translation>
    </message>
    <message>
        <source>last month {value}</source>
        <translation>上月 {value}</translation>
    </message>
</context>
<context>
    <name>LengthCounter</name>
    <message>
        <source>Characters used</source>
        <translation>已用字数</translation>
    </message>
    <message>
        <source>This text has {count} characters, {over} more than the {limit} allowed. Shorten it, then save again.</source>
        <translation>这段文字有 {count} 个字，比上限 {limit} 字多了 {over} 个字。请删减后再保存。</translation>
    </message>
</context>
<context>
    <name>ListExport</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>号码</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>来电人</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>客服专员</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>未接</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>来电</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门/处理人</translation>
    </message>
    <message>
        <source>Response due</source>
        <translation>响应时限</translation>
    </message>
    <message>
        <source>Resolution due</source>
        <translation>解决时限</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>投诉内容</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>登记时间</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>应回访时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Tries</source>
        <translation>次数</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Reviewed</source>
        <translation>审阅</translation>
    </message>
    <message>
        <source>Reviewed by</source>
        <translation>审阅人</translation>
    </message>
    <message>
        <source>(do not call)</source>
        <translation>（勿回访）</translation>
    </message>
    <message>
        <source>Callbacks</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in to CallDesk</source>
        <translation>登录物业客服工作台</translation>
    </message>
    <message>
        <source>Property service front desk</source>
        <translation>物业服务中心 · 客服前台</translation>
    </message>
    <message>
        <source>Login name</source>
        <translation>登录名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>&amp;Login name:</source>
        <translation>登录名(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Database: {database}</source>
        <translation>数据库：{database}</translation>
    </message>
    <message>
        <source>&amp;Sign in</source>
        <translation>登录(&amp;S)</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Enter your login name and password.</source>
        <translation>请输入登录名和密码。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Work areas</source>
        <translation>工作区</translation>
    </message>
    <message>
        <source>H&amp;ome</source>
        <translation>首页(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Calls</source>
        <translation>来电登记(&amp;C)</translation>
    </message>
    <message>
        <source>Com&amp;plaints</source>
        <translation>投诉处理(&amp;P)</translation>
    </message>
    <message>
        <source>Call&amp;backs</source>
        <translation>回访(&amp;B)</translation>
    </message>
    <message>
        <source>C&amp;ustomers</source>
        <translation>客户档案(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Reports</source>
        <translation>统计报表(&amp;R)</translation>
    </message>
    <message>
        <source>Search everything</source>
        <translation>全局搜索</translation>
    </message>
    <message>
        <source>New call</source>
        <translation>新来电</translation>
    </message>
    <message>
        <source>Shift handed over: the next operator sees it when they sign in.</source>
        <translation>已交班：下一位客服登录时会看到。</translation>
    </message>
    <message>
        <source>Shift taken over from {name}.</source>
        <translation>已接 {name} 的班。</translation>
    </message>
    <message>
        <source>{name} ({role})</source>
        <translation>{name}（{role}）</translation>
    </message>
    <message>
        <source>Signed-in user</source>
        <translation>当前登录用户</translation>
    </message>
    <message>
        <source>Demo database (thrown away on exit)</source>
        <translation>演示数据库（退出时删除）</translation>
    </message>
    <message>
        <source>Database in use</source>
        <translation>正在使用的数据库</translation>
    </message>
    <message>
        <source>Overdue complaints</source>
        <translation>超时投诉</translation>
    </message>
    <message>
        <source>Callbacks due</source>
        <translation>回访到期</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Change my &amp;password…</source>
        <translation>修改我的密码(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Switch user / sign out</source>
        <translation>切换用户 / 退出登录(&amp;S)</translation>
    </message>
    <message>
        <source>E&amp;xit</source>
        <translation>退出(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>剪切(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>粘贴(&amp;P)</translation>
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Users…</source>
        <translation>用户管理(&amp;U)…</translation>
    </message>
    <message>
        <source>&amp;Departments…</source>
        <translation>部门管理(&amp;D)…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Deadline &amp;rules and calendar…</source>
        <translation>处理时限与工作日历(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Backup and restore…</source>
        <translation>备份与恢复(&amp;B)…</translation>
    </message>
    <message>
        <source>Shift &amp;handover…</source>
        <translation>交接班(&amp;H)…</translation>
    </message>
    <message>
        <source>&amp;Incidents…</source>
        <translation>突发事件(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About CallDesk</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <source>Open &amp;log folder</source>
        <translation>打开日志文件夹(&amp;L)</translation>
    </message>
    <message>
        <source>Open &amp;data folder</source>
        <translation>打开数据文件夹(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>CallDesk property service desk</source>
        <translation>物业客服工作台</translation>
    </message>
    <message>
        <source>[demo]</source>
        <translation>【演示】</translation>
    </message>
    <message>
        <source>Missed call from {phone}: added to the callbacks.</source>
        <translation>未接来电 {phone}：已加入回拨任务。</translation>
    </message>
    <message>
        <source>{n} callback(s) due</source>
        <translation>{n} 个回访待办</translation>
    </message>
    <message>
        <source>{n} callback(s) are due today or overdue.</source>
        <translation>今天有 {n} 个回访到期或已超时。</translation>
    </message>
    <message>
        <source>{n} more callback(s) just came due.</source>
        <translation>又有 {n} 个回访到期。</translation>
    </message>
    <message>
        <source>{n} overdue complaint(s)</source>
        <translation>{n} 张投诉已超时</translation>
    </message>
    <message>
        <source>{year}&apos;s holiday schedule is missing: see Home.</source>
        <translation>缺少 {year} 年放假安排，详见首页。</translation>
    </message>
</context>
<context>
    <name>MappingPage</name>
    <message>
        <source>Check the columns</source>
        <translation>核对列</translation>
    </message>
    <message>
        <source>CallDesk guessed which column holds what. Correct any guess; the sample shows the first rows.</source>
        <translation>程序已推测每一列的内容，如有不对请更正；下方显示前几行样例。</translation>
    </message>
    <message>
        <source>Sample rows</source>
        <translation>样例行</translation>
    </message>
    <message>
        <source>(not in the roster)</source>
        <translation>（花名册中没有）</translation>
    </message>
    <message>
        <source>column {n}</source>
        <translation>第 {n} 列</translation>
    </message>
    <message>
        <source>Choose the column with the names and at least one column with phone numbers.</source>
        <translation>请选择姓名列，并至少选择一个电话列。</translation>
    </message>
</context>
<context>
    <name>Migrations</name>
    <message>
        <source>This database was written by a newer CallDesk (schema {current}; this program knows up to {head}). Install the latest CallDesk before opening it; nothing was changed.</source>
        <translation>这个数据库由更新版本的物业客服工作台创建（架构版本 {current}，本程序只支持到 {head}）。请先安装最新版本再打开；数据库未做任何改动。</translation>
    </message>
    <message>
        <source>Schema is at {current}, not at {head}.</source>
        <translation>数据库架构版本为 {current}，不是最新的 {head}。</translation>
    </message>
    <message>
        <source>Schema differs from the program: {difference}</source>
        <translation>数据库架构与程序不一致：{difference}</translation>
    </message>
    <message>
        <source>Broken reference in table {table}, row {row}.</source>
        <translation>表 {table} 第 {row} 行的关联记录缺失。</translation>
    </message>
</context>
<context>
    <name>MonthlyReport</name>
    <message>
        <source>Complaints received</source>
        <translation>受理投诉</translation>
    </message>
    <message>
        <source>Complaints registered in the month (by their registration time, this PC&apos;s local calendar month), whatever their state now, cancelled ones included.</source>
        <translation>本月登记的投诉（按登记时间、本机所在时区的自然月计算），不论现状，含已撤销的。</translation>
    </message>
    <message>
        <source>Complaints resolved</source>
        <translation>已处理投诉</translation>
    </message>
    <message>
        <source>Of the complaints received: those resolved at least once by the time of the report (a “Resolve” step on their timeline), even if reworked since.</source>
        <translation>本月受理的投诉中，截至出表时至少处理完毕过一次的（处理记录中有“处理完毕”），之后返工的也算。</translation>
    </message>
    <message>
        <source>Resolved on time</source>
        <translation>按时处理</translation>
    </message>
    <message>
        <source>Of the complaints resolved: those whose first resolution came by their resolution deadline and which were never sent back for rework. A reworked complaint does not count as on time: its first resolution did not satisfy the customer.</source>
        <translation>已处理投诉中，首次处理完毕不晚于解决时限、且从未返工的。返工的投诉不算按时：首次处理未让客户满意。</translation>
    </message>
    <message>
        <source>On-time resolution rate</source>
        <translation>按时处理率</translation>
    </message>
    <message>
        <source>Resolved on time / complaints resolved.</source>
        <translation>按时处理数 ÷ 已处理投诉数。</translation>
    </message>
    <message>
        <source>Average resolution time (working hours)</source>
        <translation>平均处理时长（工作小时）</translation>
    </message>
    <message>
        <source>Mean, over the complaints resolved, of the working hours from registration to the first resolution (business hours on working days; round the clock for rules that say so).</source>
        <translation>已处理投诉从登记到首次处理完毕的工作小时数的平均值（工作日的上班时间；规则为全天候计时的按自然时间）。</translation>
    </message>
    <message>
        <source>Complaints reworked</source>
        <translation>返工投诉</translation>
    </message>
    <message>
        <source>Of the complaints received: those sent back for rework at least once after an unsatisfied callback.</source>
        <translation>本月受理的投诉中，因回访不满意至少返工过一次的。</translation>
    </message>
    <message>
        <source>Complaints closed</source>
        <translation>已办结投诉</translation>
    </message>
    <message>
        <source>Of the complaints received: those closed after their callback (or without one when the customer may not be called) by the time of the report, archived ones included; cancelled ones are not closed.</source>
        <translation>本月受理的投诉中，截至出表时经回访办结（或客户要求不回访而办结）的，含已归档；已撤销的不算办结。</translation>
    </message>
    <message>
        <source>Complaint callbacks due</source>
        <translation>应回访投诉数</translation>
    </message>
    <message>
        <source>Complaint callbacks whose due time, as first set, falls in the month (a retry does not move them; a second callback after an explanation counts on its own).</source>
        <translation>首次设定的回访时间落在本月的投诉回访（重试不改变其月份；解释后的再次回访单独计数）。</translation>
    </message>
    <message>
        <source>Complaint callbacks made</source>
        <translation>已回访投诉数</translation>
    </message>
    <message>
        <source>Of the complaint callbacks due: those where the customer was reached.</source>
        <translation>应回访投诉中已联系到客户的。</translation>
    </message>
    <message>
        <source>Complaint callbacks made on time</source>
        <translation>按时回访投诉数</translation>
    </message>
    <message>
        <source>Of the complaint callbacks made: those whose first try was made by the due time first set.</source>
        <translation>已回访投诉中，首次尝试在首次设定的回访时间之前完成的。</translation>
    </message>
    <message>
        <source>On-time complaint callback rate</source>
        <translation>投诉回访及时率</translation>
    </message>
    <message>
        <source>Complaint callbacks made on time / complaint callbacks made. Missed-call callbacks are not included: they have figures of their own.</source>
        <translation>按时回访投诉数 / 已回访投诉数。未接来电的回拨不计入，另有单独指标。</translation>
    </message>
    <message>
        <source>Complaint callbacks failed</source>
        <translation>投诉回访失败数</translation>
    </message>
    <message>
        <source>Of the complaint callbacks due: those where the customer was not reached after the last try.</source>
        <translation>应回访投诉中，最后一次尝试后仍未联系到客户的。</translation>
    </message>
    <message>
        <source>Complaint callbacks skipped</source>
        <translation>投诉回访免访数</translation>
    </message>
    <message>
        <source>Of the complaint callbacks due: those not dialled because the customer does not want calls (or the complaint was cancelled).</source>
        <translation>应回访投诉中，因客户不愿接听电话（或投诉已撤销）而未拨打的。</translation>
    </message>
    <message>
        <source>Complaint callbacks not made yet</source>
        <translation>投诉回访待完成数</translation>
    </message>
    <message>
        <source>Of the complaint callbacks due: those still waiting at the time of the report.</source>
        <translation>应回访投诉中，统计时仍在等待的。</translation>
    </message>
    <message>
        <source>Complaint callbacks overdue</source>
        <translation>投诉回访超时数</translation>
    </message>
    <message>
        <source>Of the complaint callbacks not made yet: those past their due time at the time of the report.</source>
        <translation>待完成的投诉回访中，统计时已超过回访时间的。</translation>
    </message>
    <message>
        <source>Complaint callbacks reviewed</source>
        <translation>投诉回访已审阅数</translation>
    </message>
    <message>
        <source>Of the complaint callbacks due and finished (made, failed or skipped): those a supervisor has reviewed.</source>
        <translation>应回访且已结束（已回访、失败或免访）的投诉回访中，主管已审阅的。</translation>
    </message>
    <message>
        <source>Missed-call callbacks due</source>
        <translation>应回拨未接来电数</translation>
    </message>
    <message>
        <source>Callbacks to missed calls whose due time, as first set, falls in the month. Complaint callbacks are counted apart.</source>
        <translation>首次设定的回拨时间落在本月的未接来电回拨。投诉回访另行统计。</translation>
    </message>
    <message>
        <source>Missed-call callbacks done</source>
        <translation>已回拨未接来电数</translation>
    </message>
    <message>
        <source>Of the missed-call callbacks due: those done by the time of the report.</source>
        <translation>应回拨未接来电中，统计时已完成的。</translation>
    </message>
    <message>
        <source>Missed-call callbacks done on time</source>
        <translation>按时回拨未接来电数</translation>
    </message>
    <message>
        <source>Of the missed-call callbacks done: those whose first try was made by the due time first set.</source>
        <translation>已回拨未接来电中，首次尝试在首次设定的回拨时间之前完成的。</translation>
    </message>
    <message>
        <source>On-time missed-call callback rate</source>
        <translation>未接来电回拨及时率</translation>
    </message>
    <message>
        <source>Missed-call callbacks done on time / missed-call callbacks done.</source>
        <translation>按时回拨未接来电数 / 已回拨未接来电数。</translation>
    </message>
    <message>
        <source>Missed-call callbacks overdue</source>
        <translation>未接来电回拨超时数</translation>
    </message>
    <message>
        <source>Of the missed-call callbacks due: those not done yet and past their due time at the time of the report.</source>
        <translation>应回拨未接来电中，统计时尚未完成且已超过回拨时间的。</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>突发事件</translation>
    </message>
    <message>
        <source>Incidents (water or power cuts, lifts out of order …) that began in the month; with an estate chosen, those of that estate or of every estate.</source>
        <translation>本月开始的突发事件（停水、停电、电梯故障……）；选了小区时，计该小区的和不限小区的。</translation>
    </message>
    <message>
        <source>Calls about incidents</source>
        <translation>突发事件来电</translation>
    </message>
    <message>
        <source>Of the calls answered: those linked to an incident instead of a new form.</source>
        <translation>已接来电中关联到突发事件（未另开单）的来电。</translation>
    </message>
    <message>
        <source>This report is narrowed: an estate keeps the complaints whose unit is in that estate, their callbacks and the calls whose unit is in it; a department keeps the complaints dispatched to it and their callbacks, but not the calls or the callbacks to missed calls (they are not counted by department). The previous month is narrowed the same way.</source>
        <translation>本报表已按条件筛选：按项目筛选时，保留房屋属于该项目的投诉、其回访以及房屋属于该项目的来电；按部门筛选时，保留派给该部门的投诉及其回访，不含来电和未接来电回拨（它们不按部门统计）。上月数据按同样条件筛选。</translation>
    </message>
    <message>
        <source>Complaints registered</source>
        <translation>登记投诉数</translation>
    </message>
    <message>
        <source>Callbacks made</source>
        <translation>完成回访</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>Callbacks made where the customer said “Satisfied”.</source>
        <translation>完成回访中客户表示“满意”的。</translation>
    </message>
    <message>
        <source>Fairly satisfied</source>
        <translation>基本满意</translation>
    </message>
    <message>
        <source>Callbacks made where the customer said “Fairly satisfied”.</source>
        <translation>完成回访中客户表示“基本满意”的。</translation>
    </message>
    <message>
        <source>Unsatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <source>Callbacks made where the customer said “Unsatisfied”.</source>
        <translation>完成回访中客户表示“不满意”的。</translation>
    </message>
    <message>
        <source>Satisfaction rate</source>
        <translation>满意率</translation>
    </message>
    <message>
        <source>(Satisfied + Fairly satisfied) / callbacks where the customer was reached, among complaint callbacks due in the month.</source>
        <translation>（满意 + 基本满意）÷ 本月应回访中已联系上客户的回访数。</translation>
    </message>
    <message>
        <source>Calls answered</source>
        <translation>接听来电</translation>
    </message>
    <message>
        <source>Inbound calls received in the month and answered (missed calls not included).</source>
        <translation>本月接听的来电（不含未接来电）。</translation>
    </message>
    <message>
        <source>Calls missed</source>
        <translation>未接来电</translation>
    </message>
    <message>
        <source>Inbound calls received in the month and missed.</source>
        <translation>本月未接的来电。</translation>
    </message>
    <message>
        <source>Average call time (seconds)</source>
        <translation>平均通话时长（秒）</translation>
    </message>
    <message>
        <source>Mean duration of the calls answered that have a duration recorded.</source>
        <translation>有通话时长记录的接听来电的平均时长。</translation>
    </message>
    <message>
        <source>Solved on the first call</source>
        <translation>首次来电解决率</translation>
    </message>
    <message>
        <source>Calls answered whose outcome is “Solved on the call” / calls answered.</source>
        <translation>结果为“当场解决”的接听来电数 ÷ 接听来电数。</translation>
    </message>
</context>
<context>
    <name>MonthlyWorkbook</name>
    <message>
        <source> pp</source>
        <translation> 个百分点</translation>
    </message>
    <message>
        <source>Writing the figures…</source>
        <translation>正在写入统计数字…</translation>
    </message>
    <message>
        <source>{n} of {total} rows</source>
        <translation>第 {n} / {total} 行</translation>
    </message>
    <message>
        <source>Filters</source>
        <translation>筛选条件</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Complaints registered, callbacks due and calls received in the month; the previous month ({previous}) beside them.</source>
        <translation>本月登记的投诉、到期的回访和接听的来电；右侧为上月（{previous}）数字。</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>Previous month</source>
        <translation>上月</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>已处理</translation>
    </message>
    <message>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <source>Callbacks</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Inbound calls</source>
        <translation>来电</translation>
    </message>
    <message>
        <source>Complaints by category</source>
        <translation>投诉类别分布</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Satisfaction of the callbacks</source>
        <translation>回访满意度</translation>
    </message>
    <message>
        <source>Inbound calls per day</source>
        <translation>每日来电量</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>来电</translation>
    </message>
    <message>
        <source>Resolved on time</source>
        <translation>按时处理</translation>
    </message>
    <message>
        <source>On-time rate</source>
        <translation>及时率</translation>
    </message>
    <message>
        <source>Reopened</source>
        <translation>返工</translation>
    </message>
    <message>
        <source>Satisfied callbacks</source>
        <translation>满意回访</translation>
    </message>
    <message>
        <source>Unsatisfied callbacks</source>
        <translation>不满意回访</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>责任部门</translation>
    </message>
    <message>
        <source>Dispatched</source>
        <translation>派单数</translation>
    </message>
    <message>
        <source>Open and overdue</source>
        <translation>未结且超时</translation>
    </message>
    <message>
        <source>Average time to resolve (working hours)</source>
        <translation>平均处理时长（工作小时）</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>客服</translation>
    </message>
    <message>
        <source>Calls received</source>
        <translation>接听来电</translation>
    </message>
    <message>
        <source>Complaints registered</source>
        <translation>登记投诉</translation>
    </message>
    <message>
        <source>Callbacks done</source>
        <translation>完成回访</translation>
    </message>
    <message>
        <source>Callbacks failed</source>
        <translation>回访失败</translation>
    </message>
    <message>
        <source>Complaint no.</source>
        <translation>投诉编号</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>应回访时间</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>回访时间</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>拨打次数</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Reached</source>
        <translation>已接通</translation>
    </message>
    <message>
        <source>Callback failed</source>
        <translation>回访失败</translation>
    </message>
    <message>
        <source>What the customer said</source>
        <translation>客户意见</translation>
    </message>
    <message>
        <source>Reviewed by</source>
        <translation>审阅人</translation>
    </message>
    <message>
        <source>Review comment</source>
        <translation>审阅意见</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>登记时间</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>投诉内容</translation>
    </message>
    <message>
        <source>Resolve by</source>
        <translation>解决时限</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>按时</translation>
    </message>
    <message>
        <source>Hours to resolve</source>
        <translation>处理时长（工作小时）</translation>
    </message>
    <message>
        <source>Times reopened</source>
        <translation>返工次数</translation>
    </message>
    <message>
        <source>How it is computed</source>
        <translation>计算方法</translation>
    </message>
</context>
<context>
    <name>Op</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Please wait</source>
        <translation>请稍候</translation>
    </message>
</context>
<context>
    <name>OwnTile</name>
    <message>
        <source>today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>this month {value}</source>
        <translation>本月 {value}</translation>
    </message>
</context>
<context>
    <name>PasswordResetDialog</name>
    <message>
        <source>Reset password of {name}</source>
        <translation>重置 {name} 的密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>at least {n} characters</source>
        <translation>至少 {n} 个字符</translation>
    </message>
    <message>
        <source>&amp;New password:</source>
        <translation>新密码(&amp;N)：</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
</context>
<context>
    <name>Permission</name>
    <message>
        <source>manage user accounts</source>
        <translation>管理用户账号</translation>
    </message>
    <message>
        <source>manage departments</source>
        <translation>管理部门</translation>
    </message>
    <message>
        <source>change the centre&apos;s settings</source>
        <translation>修改服务中心设置</translation>
    </message>
    <message>
        <source>view the audit trail</source>
        <translation>查看操作日志</translation>
    </message>
    <message>
        <source>export the customer file</source>
        <translation>导出客户档案</translation>
    </message>
    <message>
        <source>import customer rosters</source>
        <translation>导入客户花名册</translation>
    </message>
    <message>
        <source>merge customer cards</source>
        <translation>合并客户资料卡</translation>
    </message>
    <message>
        <source>change other people&apos;s calls</source>
        <translation>修改他人登记的来电</translation>
    </message>
    <message>
        <source>re-dispatch, cancel or archive complaints</source>
        <translation>转派、撤销或归档投诉</translation>
    </message>
    <message>
        <source>change the deadline rules and the working calendar</source>
        <translation>修改处理时限和工作日历</translation>
    </message>
    <message>
        <source>review callbacks</source>
        <translation>审阅回访</translation>
    </message>
    <message>
        <source>see and export the monthly statistics</source>
        <translation>查看和导出月度统计</translation>
    </message>
    <message>
        <source>export other people&apos;s calls</source>
        <translation>导出他人的来电</translation>
    </message>
    <message>
        <source>back up and restore the database</source>
        <translation>备份和恢复数据库</translation>
    </message>
    <message>
        <source>You are signed in as {role} and may not {action}. Ask an administrator.</source>
        <translation>您当前的身份是{role}，无权{action}。请联系系统管理员。</translation>
    </message>
</context>
<context>
    <name>Phones</name>
    <message>
        <source>Excel shortened this number to scientific notation and some digits are lost; type the number in full.</source>
        <translation>Excel 把这个号码显示成了科学计数法，部分数字已丢失；请完整输入号码。</translation>
    </message>
    <message>
        <source>This is not a phone number.</source>
        <translation>这不是电话号码。</translation>
    </message>
    <message>
        <source>The default area code {code} is not an area code.</source>
        <translation>默认区号 {code} 不是有效的区号。</translation>
    </message>
    <message>
        <source>A mobile number has 11 digits; this one has {count}.</source>
        <translation>手机号应为 11 位，这个是 {count} 位。</translation>
    </message>
    <message>
        <source>A landline number with its area code has 11 or 12 digits; this one has {count}.</source>
        <translation>带区号的固定电话应为 11 或 12 位，这个是 {count} 位。</translation>
    </message>
    <message>
        <source>The number has too few digits.</source>
        <translation>号码位数太少。</translation>
    </message>
    <message>
        <source>The number has too many digits.</source>
        <translation>号码位数太多。</translation>
    </message>
    <message>
        <source>This is not a valid phone number in mainland China.</source>
        <translation>这不是有效的中国大陆电话号码。</translation>
    </message>
    <message>
        <source>The number contains letters or signs that are not part of a number.</source>
        <translation>号码中含有不属于号码的字母或符号。</translation>
    </message>
    <message>
        <source>This is not a valid international number.</source>
        <translation>这不是有效的国际号码。</translation>
    </message>
    <message>
        <source>An extension has at most {n} digits.</source>
        <translation>分机号最多 {n} 位。</translation>
    </message>
    <message>
        <source>The phone number is empty.</source>
        <translation>电话号码为空。</translation>
    </message>
    <message>
        <source>This holds more than one phone number; enter them one at a time.</source>
        <translation>这里有多个电话号码，请逐个填写。</translation>
    </message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Drive</source>
        <translation>驱动器</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <source>required</source>
        <translation>必填</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>可不填</translation>
    </message>
</context>
<context>
    <name>Reports</name>
    <message>
        <source>You can see your own daily report; ask a supervisor for a colleague&apos;s.</source>
        <translation>您只能查看自己的每日工作报表；同事的报表请向客服主管索取。</translation>
    </message>
    <message>
        <source>All operators</source>
        <translation>全部客服</translation>
    </message>
    <message>
        <source>That operator no longer exists.</source>
        <translation>该客服专员已不存在。</translation>
    </message>
</context>
<context>
    <name>ReportsTab</name>
    <message>
        <source>Reports</source>
        <translation>统计报表</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>E&amp;xport the monthly workbook… (Ctrl+E)</source>
        <translation>导出回访月统计表(&amp;X)…（Ctrl+E）</translation>
    </message>
    <message>
        <source>Export the monthly callback statistics</source>
        <translation>导出回访客户月统计表</translation>
    </message>
    <message>
        <source>Estate</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>All estates</source>
        <translation>全部项目</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>All departments</source>
        <translation>全部部门</translation>
    </message>
    <message>
        <source>Report status</source>
        <translation>报表状态</translation>
    </message>
    <message>
        <source>&amp;Month:</source>
        <translation>月份(&amp;M)：</translation>
    </message>
    <message>
        <source>E&amp;state:</source>
        <translation>项目(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Department:</source>
        <translation>部门(&amp;D)：</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <source>{name}, your own figures: today ({day}), and this month so far. The centre&apos;s monthly statistics are for supervisors.</source>
        <translation>{name}，这是您本人的数字：今天（{day}）和本月至今。中心的月度统计仅供主管查看。</translation>
    </message>
    <message>
        <source>{month} to date ({now}), compared with the same days of {previous} (to {then})</source>
        <translation>{month} 截至 {now}，与 {previous} 同期（截至 {then}）相比</translation>
    </message>
    <message>
        <source>{month}, the whole month, compared with {previous}</source>
        <translation>{month} 全月，与 {previous} 全月相比</translation>
    </message>
    <message>
        <source>Only {filters} (calls are not filtered by department).</source>
        <translation>仅 {filters}（来电不按部门筛选）。</translation>
    </message>
    <message>
        <source>Complaints by category</source>
        <translation>投诉类别分布</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>Fairly satisfied</source>
        <translation>基本满意</translation>
    </message>
    <message>
        <source>Unsatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <source>Callbacks due and done</source>
        <translation>回访应做与完成</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>应回访</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>待回访</translation>
    </message>
    <message>
        <source>Open complaints overdue now, by department</source>
        <translation>各部门当前超时未结投诉</translation>
    </message>
    <message>
        <source>Not dispatched yet</source>
        <translation>尚未派单</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>Your own figures: today, and this month so far. The centre&apos;s monthly statistics are for supervisors.</source>
        <translation>这是您本人的数字：今天和本月至今。中心的月度统计仅供主管查看。</translation>
    </message>
    <message>
        <source>Calls per day by type</source>
        <translation>每日来电（按类型）</translation>
    </message>
    <message>
        <source>Export the monthly workbook</source>
        <translation>导出回访月统计表</translation>
    </message>
    <message>
        <source>Monthly callback statistics {month}.xlsx</source>
        <translation>回访客户月统计表-{month}.xlsx</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Counting the month…</source>
        <translation>正在统计本月…</translation>
    </message>
    <message>
        <source>Exporting {month}…</source>
        <translation>正在导出 {month}…</translation>
    </message>
    <message>
        <source>Saved: {path}</source>
        <translation>已保存：{path}</translation>
    </message>
</context>
<context>
    <name>ResolveDialog</name>
    <message>
        <source>Resolve {number}</source>
        <translation>处理完毕 {number}</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>What was done (required)</source>
        <translation>做了哪些处理（必填）</translation>
    </message>
    <message>
        <source>Corrective and preventive measures</source>
        <translation>纠正/预防措施</translation>
    </message>
    <message>
        <source>So it does not happen again (optional)</source>
        <translation>避免再次发生的措施（可不填）</translation>
    </message>
    <message>
        <source>Company at fault</source>
        <translation>本公司责任</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>可不填</translation>
    </message>
    <message>
        <source>&amp;Resolution:</source>
        <translation>处理结果(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Measures:</source>
        <translation>纠正/预防措施(&amp;M)：</translation>
    </message>
    <message>
        <source>Company at &amp;fault:</source>
        <translation>本公司责任(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Note:</source>
        <translation>备注(&amp;N)：</translation>
    </message>
</context>
<context>
    <name>ResultPage</name>
    <message>
        <source>Check and import</source>
        <translation>检查并导入</translation>
    </message>
    <message>
        <source>Row problems</source>
        <translation>问题行</translation>
    </message>
    <message>
        <source>Save problem &amp;rows…</source>
        <translation>保存问题行(&amp;R)…</translation>
    </message>
    <message>
        <source>Save problem rows</source>
        <translation>保存问题行</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Checking every row…</source>
        <translation>正在逐行检查…</translation>
    </message>
    <message>
        <source>Checking the roster…</source>
        <translation>正在检查花名册…</translation>
    </message>
    <message>
        <source>Check stopped. Go back and press Next to check again.</source>
        <translation>已停止检查。如需重新检查，请返回上一步再按“下一步”。</translation>
    </message>
    <message>
        <source>Ready to import: {created} new card(s), {updated} card(s) to complete, {unchanged} already up to date. {rejected} row(s) cannot be imported (listed below); nothing is written until you press Import.</source>
        <translation>可以导入：新建 {created} 张资料卡，补充 {updated} 张，{unchanged} 张已是最新。{rejected} 行无法导入（见下方列表）；按“导入”之前不会写入任何内容。</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <source>Import stopped; nothing was written. Press Import to start again.</source>
        <translation>已停止导入，未写入任何内容。按“导入”可重新开始。</translation>
    </message>
    <message>
        <source>Imported: {created} new card(s), {updated} completed, {unchanged} unchanged.</source>
        <translation>导入完成：新建 {created} 张资料卡，补充 {updated} 张，未变 {unchanged} 张。</translation>
    </message>
    <message>
        <source>problem-rows.xlsx</source>
        <translation>问题行.xlsx</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Saved to {path}.</source>
        <translation>已保存到 {path}。</translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <source>Operator</source>
        <translation>客服专员</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>客服主管</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>系统管理员</translation>
    </message>
</context>
<context>
    <name>Roster</name>
    <message>
        <source>The file {name} was not found. Choose it again.</source>
        <translation>找不到文件 {name}，请重新选择。</translation>
    </message>
    <message>
        <source>The file {name} cannot be opened. Close it in Excel and try again.</source>
        <translation>无法打开文件 {name}。请先在 Excel 中关闭它再试。</translation>
    </message>
    <message>
        <source>{name} is not an Excel workbook CallDesk can read. Open it in Excel, save it as .xlsx (Excel Workbook) and try again.</source>
        <translation>{name} 不是本程序能读取的 Excel 工作簿。请在 Excel 中打开，另存为 .xlsx（Excel 工作簿）后再试。</translation>
    </message>
    <message>
        <source>A cell in {name} holds more than {n} characters, more than Excel itself allows in a cell. This is not a roster CallDesk can import; check that it is the file you meant.</source>
        <translation>{name} 中有单元格超过 {n} 个字符，比 Excel 本身允许的还多。这不是本程序能导入的花名册，请确认选对了文件。</translation>
    </message>
    <message>
        <source>{name} would unpack to {size} MB, more than the {limit} MB a roster may take. Check that this is the roster you meant; a very large roster can be split into several files.</source>
        <translation>{name} 解压后有 {size} MB，超过花名册允许的 {limit} MB。请确认这是要导入的花名册；很大的花名册可以拆成几个文件。</translation>
    </message>
    <message>
        <source>The workbook has no sheet called {sheet}.</source>
        <translation>工作簿中没有名为“{sheet}”的工作表。</translation>
    </message>
    <message>
        <source>The sheet {sheet} has more than {n} filled rows. CallDesk imports at most {n} rows at a time: split the roster into several files and import them one after another.</source>
        <translation>工作表 {sheet} 中有内容的行超过 {n} 行。本程序一次最多导入 {n} 行：请把花名册拆成几个文件，逐个导入。</translation>
    </message>
    <message>
        <source>The room number is missing; fill in the room column.</source>
        <translation>缺少房号，请填写房号列。</translation>
    </message>
    <message>
        <source>Unit: {reason} Check the building, unit and room columns.</source>
        <translation>房屋：{reason} 请检查楼栋、单元和房号列。</translation>
    </message>
    <message>
        <source>Unit: {reason}</source>
        <translation>房屋：{reason}</translation>
    </message>
    <message>
        <source>Choose the column that holds the names.</source>
        <translation>请选择姓名所在的列。</translation>
    </message>
    <message>
        <source>Choose the column that holds the phone numbers.</source>
        <translation>请选择电话所在的列。</translation>
    </message>
    <message>
        <source>Row {row}: {problems}</source>
        <translation>第 {row} 行：{problems}</translation>
    </message>
    <message>
        <source>Row {row}: the mobile number {number} is in a range CallDesk does not know yet (new ranges open every few years); it was kept as typed. Check it with the customer when they call.</source>
        <translation>第 {row} 行：手机号 {number} 属于本程序尚未收录的号段（新号段每隔几年开放一次），已按原样保存。客户来电时请与其核对。</translation>
    </message>
    <message>
        <source>No name; fill in the name column.</source>
        <translation>没有姓名，请填写姓名列。</translation>
    </message>
    <message>
        <source>The name {name} looks like a number; check which column holds the names.</source>
        <translation>姓名“{name}”看起来是数字，请检查哪一列是姓名。</translation>
    </message>
    <message>
        <source>The name {name} is longer than {n} characters.</source>
        <translation>姓名“{name}”超过 {n} 个字符。</translation>
    </message>
    <message>
        <source>Phone number {piece}: {reason}</source>
        <translation>电话 {piece}：{reason}</translation>
    </message>
    <message>
        <source>No phone number; fill in the phone column.</source>
        <translation>没有电话，请填写电话列。</translation>
    </message>
    <message>
        <source>Unit {unit}: too long; an estate has at most {estate} characters, a building {building}, a unit {unit_part} and a room {room}.</source>
        <translation>房屋 {unit} 过长：项目最多 {estate} 个字符，楼栋最多 {building} 个，单元最多 {unit_part} 个，房号最多 {room} 个。</translation>
    </message>
    <message>
        <source>The notes have {count} characters; a card&apos;s notes can have at most {n}. Shorten them.</source>
        <translation>备注有 {count} 个字符，客户资料卡的备注最多 {n} 个字符。请精简后再导入。</translation>
    </message>
    <message>
        <source>Phone number {piece} was left out: {reason} The rest of the row was imported.</source>
        <translation>电话 {piece} 未导入：{reason} 该行其余内容已导入。</translation>
    </message>
    <message>
        <source>Rejected rows</source>
        <translation>未导入的行</translation>
    </message>
    <message>
        <source>Excel row</source>
        <translation>Excel 行号</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Row {row}: the notes were left out: with them the card&apos;s notes would be longer than {n} characters. The rest of the row was imported; add what matters on the card.</source>
        <translation>第 {row} 行：备注未导入：加上后资料卡的备注会超过 {n} 个字符。该行其余内容已导入；重要内容请在资料卡上补充。</translation>
    </message>
    <message>
        <source>Row {row}: {reason} The unit was left out; the rest of the row was imported.</source>
        <translation>第 {row} 行：{reason}该房屋未导入，本行其余内容已导入。</translation>
    </message>
</context>
<context>
    <name>ScheduleCallbackDialog</name>
    <message>
        <source>Call back later</source>
        <translation>安排回拨</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>号码</translation>
    </message>
    <message>
        <source>Call back at</source>
        <translation>回拨时间</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>e.g. the customer asked to be called after 13:00</source>
        <translation>例如：客户要求 13:00 以后再打</translation>
    </message>
    <message>
        <source>&amp;Number:</source>
        <translation>号码(&amp;N)：</translation>
    </message>
    <message>
        <source>Call back &amp;at:</source>
        <translation>回拨时间(&amp;A)：</translation>
    </message>
    <message>
        <source>N&amp;ote:</source>
        <translation>备注(&amp;O)：</translation>
    </message>
    <message>
        <source>Save the callback</source>
        <translation>保存回访</translation>
    </message>
</context>
<context>
    <name>Search</name>
    <message>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投诉单</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>来电记录</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>At most {n} characters.</source>
        <translation>最多 {n} 个字符。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <source>Database address</source>
        <translation>数据库地址</translation>
    </message>
    <message>
        <source>empty: this PC&apos;s own database; shared: postgresql://user:password@server/calldesk</source>
        <translation>留空：使用本机数据库；共享：postgresql://用户名:密码@服务器/calldesk</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>测试连接(&amp;T)</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Softphone command</source>
        <translation>软电话命令</translation>
    </message>
    <message>
        <source>the softphone program, then {number}; empty: the number is copied</source>
        <translation>软电话程序，后接 {number}；不填则复制号码</translation>
    </message>
    <message>
        <source>Language and database take effect the next time CallDesk starts.</source>
        <translation>界面语言和数据库设置在下次启动程序时生效。</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>界面语言(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation>数据库(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Softphone:</source>
        <translation>软电话(&amp;S)：</translation>
    </message>
    <message>
        <source>Service centre name</source>
        <translation>服务中心名称</translation>
    </message>
    <message>
        <source>Service centre &amp;name:</source>
        <translation>服务中心名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Greeting script:</source>
        <translation>问候语(&amp;G)：</translation>
    </message>
    <message>
        <source>&amp;Closing script:</source>
        <translation>结束语(&amp;C)：</translation>
    </message>
    <message>
        <source>Call&amp;back script:</source>
        <translation>回访话术(&amp;B)：</translation>
    </message>
    <message>
        <source>&amp;Missed-call script:</source>
        <translation>回拨话术(&amp;M)：</translation>
    </message>
    <message>
        <source>{centre} in a script is replaced by the centre&apos;s name.</source>
        <translation>话术中的 {centre} 会替换为服务中心名称。</translation>
    </message>
    <message>
        <source>Complaint te&amp;xt message:</source>
        <translation>投诉登记短信(&amp;X)：</translation>
    </message>
    <message>
        <source>Leave empty if the desk sends no text message. {number} is the complaint number, {due} its resolution deadline, {name} the customer.</source>
        <translation>不发短信就留空。{number} 为投诉单号，{due} 为处理时限，{name} 为客户姓名。</translation>
    </message>
    <message>
        <source>Shift changes</source>
        <translation>换班时间</translation>
    </message>
    <message>
        <source>Shi&amp;fts change at:</source>
        <translation>换班时间(&amp;F)：</translation>
    </message>
    <message>
        <source>Only an administrator changes these.</source>
        <translation>只有系统管理员可以修改这些设置。</translation>
    </message>
    <message>
        <source>Urgent complaints: within</source>
        <translation>紧急投诉：处理完毕后</translation>
    </message>
    <message>
        <source>Serious complaints: within</source>
        <translation>较重投诉：处理完毕后</translation>
    </message>
    <message>
        <source>Normal complaints: within</source>
        <translation>一般投诉：处理完毕后</translation>
    </message>
    <message>
        <source>Missed calls: call back within</source>
        <translation>未接来电：来电后</translation>
    </message>
    <message>
        <source>Not reached: try again after</source>
        <translation>未接通：间隔</translation>
    </message>
    <message>
        <source> working hours</source>
        <translation> 个工作小时</translation>
    </message>
    <message>
        <source>Tries before the callback fails</source>
        <translation>回访失败前的拨打次数</translation>
    </message>
    <message>
        <source>Tries before it counts as failed:</source>
        <translation>拨打几次未接通算回访失败：</translation>
    </message>
    <message>
        <source>Counted in working hours on the working calendar (Tools → Deadline rules and calendar).</source>
        <translation>按工作日历的工作时间计算（工具 → 处理时限与工作日历）。</translation>
    </message>
    <message>
        <source>Settings pages</source>
        <translation>设置页</translation>
    </message>
    <message>
        <source>This PC</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>Service centre</source>
        <translation>服务中心</translation>
    </message>
    <message>
        <source>Callbacks</source>
        <translation>回访规则</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>The database is empty; CallDesk will set it up.</source>
        <translation>数据库是空的，程序会自动初始化。</translation>
    </message>
    <message>
        <source>The database is ready.</source>
        <translation>数据库可以正常使用。</translation>
    </message>
    <message>
        <source>The database is older; CallDesk will upgrade it after a backup.</source>
        <translation>数据库版本较旧，程序会先备份再升级。</translation>
    </message>
    <message>
        <source>The database was written by a newer CallDesk; install the latest version first.</source>
        <translation>数据库由更新版本的程序创建，请先安装最新版本。</translation>
    </message>
    <message>
        <source>Connected. {status}</source>
        <translation>连接成功。{status}</translation>
    </message>
    <message>
        <source>Enter the service centre&apos;s name; it heads every slip and report.</source>
        <translation>请输入服务中心名称，它会出现在每张单据和报表的抬头。</translation>
    </message>
</context>
<context>
    <name>SetupDialog</name>
    <message>
        <source>Welcome to CallDesk</source>
        <translation>欢迎使用物业客服工作台</translation>
    </message>
    <message>
        <source>&lt;b&gt;Set up CallDesk&lt;/b&gt;&lt;br&gt;Two things before the first sign-in: the name of your service centre and the administrator&apos;s account. You can change both later.</source>
        <translation>&lt;b&gt;初始设置&lt;/b&gt;&lt;br&gt;首次登录前请填写两项内容：服务中心名称和系统管理员账号。以后都可以修改。</translation>
    </message>
    <message>
        <source>Service centre name</source>
        <translation>服务中心名称</translation>
    </message>
    <message>
        <source>e.g. Sunshine Garden Property Service Centre</source>
        <translation>例如：阳光花园物业服务中心</translation>
    </message>
    <message>
        <source>Administrator login</source>
        <translation>管理员登录名</translation>
    </message>
    <message>
        <source>Administrator name</source>
        <translation>管理员姓名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>at least {n} characters</source>
        <translation>至少 {n} 个字符</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>Service centre</source>
        <translation>服务中心</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>Administrator account</source>
        <translation>系统管理员账号</translation>
    </message>
    <message>
        <source>&amp;Login name:</source>
        <translation>登录名(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Display name:</source>
        <translation>姓名(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Repeat password:</source>
        <translation>再次输入密码(&amp;R)：</translation>
    </message>
    <message>
        <source>Database: {database}</source>
        <translation>数据库：{database}</translation>
    </message>
    <message>
        <source>&amp;Start using CallDesk</source>
        <translation>开始使用(&amp;S)</translation>
    </message>
    <message>
        <source>Start using CallDesk</source>
        <translation>开始使用</translation>
    </message>
    <message>
        <source>The two passwords differ. Type the same password twice.</source>
        <translation>两次输入的密码不一致，请输入相同的密码。</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <source>Save the form (in every form and dialog)</source>
        <translation>保存表单（所有表单和对话框通用）</translation>
    </message>
    <message>
        <source>Digits 1…9, 0</source>
        <translation>数字键 1…9、0</translation>
    </message>
    <message>
        <source>Pick a choice while a choice list has focus (call type, outcome, complaint category, satisfaction); 0 is the tenth</source>
        <translation>选项列表有焦点时直接选择（来电类型、处理结果、投诉类别、满意度）；0 为第十项</translation>
    </message>
    <message>
        <source>Alt+underlined letter</source>
        <translation>Alt+带下划线的字母</translation>
    </message>
    <message>
        <source>Go to that field or button</source>
        <translation>转到该字段或按钮</translation>
    </message>
    <message>
        <source>Tab / Shift+Tab</source>
        <translation>Tab / Shift+Tab</translation>
    </message>
    <message>
        <source>Next / previous field, in the form&apos;s order</source>
        <translation>按表单顺序到下一个 / 上一个字段</translation>
    </message>
    <message>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <source>Close the dialog without saving</source>
        <translation>关闭对话框，不保存</translation>
    </message>
    <message>
        <source>Keys on a button</source>
        <translation>按钮上标注的按键</translation>
    </message>
    <message>
        <source>Work while that tab or dialog is open, e.g. the complaint form from a call (Ctrl+T), call back later (Ctrl+K), dial (F5)</source>
        <translation>在该页面或对话框打开时可用，例如从来电转投诉单 (Ctrl+T)、安排回拨 (Ctrl+K)、拨号 (F5)</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>What they do</source>
        <translation>作用</translation>
    </message>
    <message>
        <source>The same keys work everywhere: the rules first, then the keys of the main window.</source>
        <translation>各处按键规则一致：先列出通用规则，再列出主窗口的快捷键。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>TodayBoardView</name>
    <message>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <source>Today&apos;s calls</source>
        <translation>今日来电</translation>
    </message>
    <message>
        <source>Active incidents</source>
        <translation>进行中的突发事件</translation>
    </message>
    <message>
        <source>Overdue complaints by department</source>
        <translation>各部门超时投诉</translation>
    </message>
    <message>
        <source>Callbacks due</source>
        <translation>回访待办</translation>
    </message>
    <message>
        <source>All callbacks due…</source>
        <translation>全部回访待办…</translation>
    </message>
    <message>
        <source>Missed calls to return</source>
        <translation>待回拨的未接来电</translation>
    </message>
    <message>
        <source>All in the callbacks…</source>
        <translation>到回访页查看全部…</translation>
    </message>
    <message>
        <source>Overdue complaints</source>
        <translation>超时投诉</translation>
    </message>
    <message>
        <source>All overdue…</source>
        <translation>全部超时投诉…</translation>
    </message>
    <message>
        <source>Complaints due soon</source>
        <translation>即将超时的投诉</translation>
    </message>
    <message>
        <source>All due soon…</source>
        <translation>全部即将超时…</translation>
    </message>
    <message>
        <source>The last shift&apos;s handover</source>
        <translation>上一班的交接</translation>
    </message>
    <message>
        <source>Read and ta&amp;ke over…</source>
        <translation>查看并接班(&amp;K)…</translation>
    </message>
    <message>
        <source>Read the handover</source>
        <translation>查看交接班记录</translation>
    </message>
    <message>
        <source>{name} handed over the shift {shift} at {at}: {n} item(s) to take over. {notes}</source>
        <translation>{name} 于 {at} 交了 {shift} 的班：{n} 项待接手。{notes}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Today&lt;/b&gt;: {answered} call(s) answered, {rate} solved on the call, {missed} missed.</source>
        <translation>&lt;b&gt;今日&lt;/b&gt;：接听 {answered} 个来电，当场解决率 {rate}，未接 {missed} 个。</translation>
    </message>
    <message>
        <source>not dispatched</source>
        <translation>未派单</translation>
    </message>
    <message>
        <source>Overdue by department: {parts}</source>
        <translation>超时投诉按部门：{parts}</translation>
    </message>
    <message>
        <source>⚠ {notice} ({n} call(s) so far)</source>
        <translation>⚠ {notice}（已接来电 {n} 个）</translation>
    </message>
    <message>
        <source>My callbacks due</source>
        <translation>我的回访待办</translation>
    </message>
    <message>
        <source>No callback is due.</source>
        <translation>没有到期的回访。</translation>
    </message>
    <message>
        <source>Every missed call has been returned.</source>
        <translation>未接来电都已回拨。</translation>
    </message>
    <message>
        <source>No complaint is overdue.</source>
        <translation>没有超时的投诉。</translation>
    </message>
    <message>
        <source>No complaint is due soon.</source>
        <translation>没有即将超时的投诉。</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>已超时</translation>
    </message>
</context>
<context>
    <name>Units</name>
    <message>
        <source>{text} is not a building, unit or room number.</source>
        <translation>{text} 不是楼栋、单元或房号。</translation>
    </message>
    <message>
        <source>The unit is empty.</source>
        <translation>房屋为空。</translation>
    </message>
    <message>
        <source>{text} is not a unit; write it like 3栋2单元1502 or 3-2-1502.</source>
        <translation>{text} 不是房屋，请写成 3栋2单元1502 或 3-2-1502。</translation>
    </message>
    <message>
        <source>{text} has no room number; write it like 3栋2单元1502 or 3-2-1502.</source>
        <translation>{text} 缺少房号，请写成 3栋2单元1502 或 3-2-1502。</translation>
    </message>
    <message>
        <source>{text} has no building; write it like 3栋2单元1502 or 3-2-1502.</source>
        <translation>{text} 缺少楼栋，请写成 3栋2单元1502 或 3-2-1502。</translation>
    </message>
    <message>
        <source>{value} is not a building number.</source>
        <translation>{value} 不是楼栋号。</translation>
    </message>
    <message>
        <source>{value} is not a unit number.</source>
        <translation>{value} 不是单元号。</translation>
    </message>
    <message>
        <source>{value} is not a room number.</source>
        <translation>{value} 不是房号。</translation>
    </message>
    <message>
        <source>The building is missing.</source>
        <translation>缺少楼栋。</translation>
    </message>
    <message>
        <source>The room number is missing.</source>
        <translation>缺少房号。</translation>
    </message>
</context>
<context>
    <name>UserEditDialog</name>
    <message>
        <source>Edit user</source>
        <translation>编辑用户</translation>
    </message>
    <message>
        <source>Add user</source>
        <translation>新增用户</translation>
    </message>
    <message>
        <source>Login name</source>
        <translation>登录名</translation>
    </message>
    <message>
        <source>Display name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>at least {n} characters</source>
        <translation>至少 {n} 个字符</translation>
    </message>
    <message>
        <source>&amp;Login name:</source>
        <translation>登录名(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Display name:</source>
        <translation>姓名(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Role:</source>
        <translation>角色(&amp;R)：</translation>
    </message>
    <message>
        <source>D&amp;epartment:</source>
        <translation>部门(&amp;E)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
</context>
<context>
    <name>Users</name>
    <message>
        <source>The password needs at least {n} characters.</source>
        <translation>密码至少需要 {n} 个字符。</translation>
    </message>
    <message>
        <source>The login name needs 2 to 40 letters, digits, dots, dashes or underscores.</source>
        <translation>登录名需为 2 到 40 个字母、数字、点、短横线或下划线。</translation>
    </message>
    <message>
        <source>Enter the name colleagues know this person by.</source>
        <translation>请输入同事们熟悉的姓名。</translation>
    </message>
    <message>
        <source>The name can have at most 40 characters.</source>
        <translation>名称最多 40 个字符。</translation>
    </message>
    <message>
        <source>Enter the service centre&apos;s name; it heads every slip and report.</source>
        <translation>请输入服务中心名称，它会出现在每张单据和报表的抬头。</translation>
    </message>
    <message>
        <source>CallDesk is already set up; sign in instead.</source>
        <translation>程序已完成初始设置，请直接登录。</translation>
    </message>
    <message>
        <source>Wrong login name or password. Check both and try again.</source>
        <translation>登录名或密码不正确，请检查后重试。</translation>
    </message>
    <message>
        <source>The account {login} is deactivated. Ask an administrator.</source>
        <translation>账号 {login} 已停用，请联系系统管理员。</translation>
    </message>
    <message>
        <source>Wrong login name or password. {left} more wrong tries lock the account for {minutes} minutes.</source>
        <translation>登录名或密码不正确。再输错 {left} 次，账号将被锁定 {minutes} 分钟。</translation>
    </message>
    <message>
        <source>The account {login} is locked after {n} wrong passwords. Try again in {minutes} minute(s), or ask an administrator to reset the password.</source>
        <translation>账号 {login} 因连续 {n} 次输错密码已被锁定。请 {minutes} 分钟后再试，或请系统管理员重置密码。</translation>
    </message>
    <message>
        <source>The current password is not right.</source>
        <translation>当前密码不正确。</translation>
    </message>
    <message>
        <source>There is no user {login}.</source>
        <translation>没有用户 {login}。</translation>
    </message>
    <message>
        <source>The login name {login} is taken. Choose another.</source>
        <translation>登录名 {login} 已被使用，请换一个。</translation>
    </message>
    <message>
        <source>The last active administrator must stay an administrator; make another user an administrator first.</source>
        <translation>最后一位在用的系统管理员不能更改角色；请先把另一位用户设为系统管理员。</translation>
    </message>
    <message>
        <source>You cannot deactivate your own account.</source>
        <translation>不能停用自己的账号。</translation>
    </message>
    <message>
        <source>The last active administrator cannot be deactivated; make another user an administrator first.</source>
        <translation>最后一位在用的系统管理员不能停用；请先把另一位用户设为系统管理员。</translation>
    </message>
    <message>
        <source>That user no longer exists. Refresh the list.</source>
        <translation>该用户已不存在，请刷新列表。</translation>
    </message>
    <message>
        <source>That department no longer exists. Choose another.</source>
        <translation>该部门已不存在，请另选一个。</translation>
    </message>
</context>
<context>
    <name>UsersDialog</name>
    <message>
        <source>User accounts</source>
        <translation>用户管理</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>新增(&amp;A)…</translation>
    </message>
    <message>
        <source>Add user</source>
        <translation>新增用户</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>编辑(&amp;E)…</translation>
    </message>
    <message>
        <source>Edit user</source>
        <translation>编辑用户</translation>
    </message>
    <message>
        <source>&amp;Reset password…</source>
        <translation>重置密码(&amp;R)…</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>&amp;Deactivate</source>
        <translation>停用(&amp;D)</translation>
    </message>
    <message>
        <source>Deactivate or activate</source>
        <translation>停用或启用</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>&amp;Activate</source>
        <translation>启用(&amp;A)</translation>
    </message>
    <message>
        <source>The password of {name} was reset and the account unlocked. Tell them the new password.</source>
        <translation>{name} 的密码已重置，账号已解锁。请把新密码告诉本人。</translation>
    </message>
    <message>
        <source>Deactivate user</source>
        <translation>停用用户</translation>
    </message>
    <message>
        <source>Deactivate {name}? They can no longer sign in; their past work stays.</source>
        <translation>确定停用 {name} 吗？停用后不能再登录，以往的工作记录保留。</translation>
    </message>
</context>
<context>
    <name>UsersTableModel</name>
    <message>
        <source>Login</source>
        <translation>登录名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Last sign-in</source>
        <translation>最近登录</translation>
    </message>
    <message>
        <source>Deactivated</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>正常</translation>
    </message>
</context>
<context>
    <name>Workflow</name>
    <message>
        <source>“{action}” is not possible while the form is “{status}”. Refresh to see its present state.</source>
        <translation>处理单处于“{status}”状态，不能“{action}”。请刷新查看最新状态。</translation>
    </message>
    <message>
        <source>You are signed in as {role} and may not “{action}”. Ask a supervisor.</source>
        <translation>您以{role}身份登录，不能“{action}”。请联系主管。</translation>
    </message>
    <message>
        <source>Write the reason for “{action}”.</source>
        <translation>请填写“{action}”的原因。</translation>
    </message>
</context>
<context>
    <name>YearScheduleDialog</name>
    <message>
        <source>Enter a year&apos;s holiday schedule</source>
        <translation>录入全年放假安排</translation>
    </message>
    <message>
        <source>Copy the State Council&apos;s notice: for each holiday the first and last day off and the make-up working days, e.g. 2-14, 2-20, or as the notice writes them. The dates start from the statutory holidays; check each against the notice.</source>
        <translation>照国务院办公厅的通知录入：每个节日放假的第一天和最后一天，以及调休上班日，例如 2-14, 2-20，或照通知写成 2月14日、2月20日。日期预先按法定节假日填好，请逐项与通知核对。</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年份</translation>
    </message>
    <message>
        <source>&amp;Year:</source>
        <translation>年份(&amp;Y)：</translation>
    </message>
    <message>
        <source>The year&apos;s holidays</source>
        <translation>该年的节假日</translation>
    </message>
    <message>
        <source>Holiday</source>
        <translation>节日</translation>
    </message>
    <message>
        <source>First day off</source>
        <translation>放假第一天</translation>
    </message>
    <message>
        <source>Last day off</source>
        <translation>放假最后一天</translation>
    </message>
    <message>
        <source>Make-up working days</source>
        <translation>调休上班日</translation>
    </message>
    <message>
        <source>First day off, {holiday}</source>
        <translation>{holiday}放假第一天</translation>
    </message>
    <message>
        <source>Last day off, {holiday}</source>
        <translation>{holiday}放假最后一天</translation>
    </message>
    <message>
        <source>Make-up working days, {holiday}</source>
        <translation>{holiday}调休上班日</translation>
    </message>
    <message>
        <source>none, or e.g. 2-14, 2-20</source>
        <translation>无，或例如 2-14, 2-20</translation>
    </message>
    <message>
        <source>What will be added</source>
        <translation>将添加的日子</translation>
    </message>
    <message>
        <source>Why the schedule cannot be added</source>
        <translation>放假安排无法添加的原因</translation>
    </message>
    <message>
        <source>Add the days to the calendar</source>
        <translation>把这些日子加入工作日历</translation>
    </message>
    <message>
        <source>&amp;Add to the calendar</source>
        <translation>加入日历(&amp;A)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>{holiday}: “{text}” is not a date; write the make-up working days as 2-14, 2-20.</source>
        <translation>{holiday}：“{text}”不是日期；调休上班日请写成 2-14, 2-20。</translation>
    </message>
    <message>
        <source>Adds {off} days off and {working} make-up working days; days already listed are replaced. Save the calendar afterwards.</source>
        <translation>将添加 {off} 个放假日和 {working} 个调休上班日；已列出的同一天会被替换。之后请保存工作日历。</translation>
    </message>
</context>
</TS>
