<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>ConsolidationDockBase</name>
    <message>
      <source>Area
(mu)</source>
      <translation>面积
（亩）</translation>
    </message>
    <message>
      <source>Check the tagged parcels against the red line, permanent basic farmland and urban development boundary</source>
      <translation>将已标注图斑与生态保护红线、永久基本农田和城镇开发边界叠加检查</translation>
    </message>
    <message>
      <source>Choose the task to tag parcels with; double-click to tag the selected parcels</source>
      <translation>选择用于标注图斑的整治任务；双击即标注所选图斑</translation>
    </message>
    <message>
      <source>Clear tags</source>
      <translation>清除标注</translation>
    </message>
    <message>
      <source>Click a parcel or drag a rectangle to tag with the chosen task; hold Ctrl to clear</source>
      <translation>单击图斑或拉框，按所选整治任务标注；按住 Ctrl 则清除标注</translation>
    </message>
    <message>
      <source>Colour the parcel layer by task family or subtype</source>
      <translation>按任务大类或子类设置图斑图层样式</translation>
    </message>
    <message>
      <source>Control-line check…</source>
      <translation>三区三线冲突检查…</translation>
    </message>
    <message>
      <source>Count the current project's parcels or every tagged parcel</source>
      <translation>统计当前项目的图斑，或全部已标注图斑</translation>
    </message>
    <message>
      <source>DEM</source>
      <translation>DEM</translation>
    </message>
    <message>
      <source>Declaration export…</source>
      <translation>导出申报成果…</translation>
    </message>
    <message>
      <source>Digital elevation model of the project area</source>
      <translation>项目区数字高程模型（DEM）</translation>
    </message>
    <message>
      <source>Ecological protection red line (生态保护红线) polygons; never the parcel layer</source>
      <translation>生态保护红线面图层（不能是图斑图层本身）</translation>
    </message>
    <message>
      <source>Ecological red line</source>
      <translation>生态保护红线</translation>
    </message>
    <message>
      <source>Export this project for declaration (申报)</source>
      <translation>导出本项目的申报成果</translation>
    </message>
    <message>
      <source>Implementation year (SSND)</source>
      <translation>实施年度（SSND）</translation>
    </message>
    <message>
      <source>Implementation year written to the tagged parcels (SSND)</source>
      <translation>写入已标注图斑的实施年度（SSND）</translation>
    </message>
    <message>
      <source>Land consolidation tasks</source>
      <translation>全域土地综合整治任务</translation>
    </message>
    <message>
      <source>New farmland
(mu)</source>
      <translation>新增耕地
（亩）</translation>
    </message>
    <message>
      <source>No parcel layer.</source>
      <translation>未选择图斑图层。</translation>
    </message>
    <message>
      <source>Parcel layer (三调 地类图斑 DLTB) to tag</source>
      <translation>待标注的图斑图层（三调地类图斑 DLTB）</translation>
    </message>
    <message>
      <source>Parcels</source>
      <translation>图斑</translation>
    </message>
    <message>
      <source>Parcels, area and estimated new farmland per task</source>
      <translation>各整治任务的图斑数、面积和预计新增耕地</translation>
    </message>
    <message>
      <source>Permanent basic farmland</source>
      <translation>永久基本农田</translation>
    </message>
    <message>
      <source>Permanent basic farmland (永久基本农田) polygons</source>
      <translation>永久基本农田面图层</translation>
    </message>
    <message>
      <source>Progress</source>
      <translation>进度</translation>
    </message>
    <message>
      <source>Project</source>
      <translation>项目</translation>
    </message>
    <message>
      <source>Project code (XMBH)</source>
      <translation>项目编号（XMBH）</translation>
    </message>
    <message>
      <source>Project code written to the tagged parcels (XMBH)</source>
      <translation>写入已标注图斑的项目编号（XMBH）</translation>
    </message>
    <message>
      <source>Project name (XMMC)</source>
      <translation>项目名称（XMMC）</translation>
    </message>
    <message>
      <source>Project name written to the tagged parcels (XMMC)</source>
      <translation>写入已标注图斑的项目名称（XMMC）</translation>
    </message>
    <message>
      <source>Recount the totals from the layer</source>
      <translation>根据图层重新统计</translation>
    </message>
    <message>
      <source>Red-line conflicts: –</source>
      <translation>红线冲突：–</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Remove task and project tags from the selected parcels (one undo step)</source>
      <translation>清除所选图斑的整治任务和项目标注（可一步撤销）</translation>
    </message>
    <message>
      <source>Style</source>
      <translation>样式</translation>
    </message>
    <message>
      <source>Tag on map</source>
      <translation>地图上标注</translation>
    </message>
    <message>
      <source>Tag selected</source>
      <translation>标注所选图斑</translation>
    </message>
    <message>
      <source>Tagged parcels whose task is not allowed inside the ecological red line; click to select them</source>
      <translation>整治任务不允许在生态保护红线内实施的已标注图斑；单击可选中这些图斑</translation>
    </message>
    <message>
      <source>Tagging</source>
      <translation>标注</translation>
    </message>
    <message>
      <source>Targets (mu)</source>
      <translation>目标（亩）</translation>
    </message>
    <message>
      <source>Task</source>
      <translation>整治任务</translation>
    </message>
    <message>
      <source>Totals of</source>
      <translation>统计范围</translation>
    </message>
    <message>
      <source>Urban development boundary</source>
      <translation>城镇开发边界</translation>
    </message>
    <message>
      <source>Urban development boundary (城镇开发边界) polygons</source>
      <translation>城镇开发边界面图层</translation>
    </message>
    <message>
      <source>Write the chosen task and the project to the selected parcels (one undo step)</source>
      <translation>将所选整治任务和项目信息写入所选图斑（可一步撤销）</translation>
    </message>
    <message>
      <source>Your own targets (mu). Left at the prefecture's 2030 targets, progress is measured against the quota of the project's county or township (county quota table below)</source>
      <translation>自定目标（亩）。保持黔南州 2030 年目标不变时，按项目所在县（市）或乡镇的分解任务计算完成度（见下方分解任务表）。</translation>
    </message>
    <message>
      <source>e.g. 522701-2025-01</source>
      <translation>例如 522701-2025-01</translation>
    </message>
  </context>
  <context>
    <name>QnLandConsol</name>
    <message>
      <source>  BSM {0}: GDPDJB {1}, computed {2} ({3:.2f}°)</source>
      <translation>  BSM {0}：GDPDJB 为 {1}，计算为 {2}（{3:.2f}°）</translation>
    </message>
    <message>
      <source>  … and {} more.</source>
      <translation>  ……另有 {} 个。</translation>
    </message>
    <message>
      <source>&amp;Land Consolidation</source>
      <translation>全域土地综合整治(&amp;L)</translation>
    </message>
    <message>
      <source>(No: nothing is tagged.)</source>
      <translation>（否：不标注任何图斑。）</translation>
    </message>
    <message>
      <source>(No: skip them and tag the other {0}.)</source>
      <translation>（否：跳过这些图斑，只标注其余 {0} 个。）</translation>
    </message>
    <message>
      <source>, </source>
      <translation>、</translation>
    </message>
    <message>
      <source>: their recorded GDPDJB is used</source>
      <translation>，改用其记录的 GDPDJB</translation>
    </message>
    <message>
      <source>; </source>
      <translation>；</translation>
    </message>
    <message>
      <source>A township's own quota: enter its 9-digit code (county 6 + township 3) and its share</source>
      <translation>乡镇自己的分解任务：填写 9 位乡镇代码（县 6 位 + 乡镇 3 位）及其任务。</translation>
    </message>
    <message>
      <source>A3 landscape</source>
      <translation>A3 横向</translation>
    </message>
    <message>
      <source>A3 portrait</source>
      <translation>A3 纵向</translation>
    </message>
    <message>
      <source>A4 landscape</source>
      <translation>A4 横向</translation>
    </message>
    <message>
      <source>A4 portrait</source>
      <translation>A4 纵向</translation>
    </message>
    <message>
      <source>Add consolidation fields</source>
      <translation>添加整治字段</translation>
    </message>
    <message>
      <source>Add row</source>
      <translation>添加行</translation>
    </message>
    <message>
      <source>Adds farmland (新增耕地).</source>
      <translation>可新增耕地。</translation>
    </message>
    <message>
      <source>After consolidation</source>
      <translation>整治后</translation>
    </message>
    <message>
      <source>After consolidation: {0} parcel(s) become farmland, {1} leave farmland.</source>
      <translation>整治后：{0} 个图斑变为耕地，{1} 个图斑退出耕地。</translation>
    </message>
    <message>
      <source>All projects</source>
      <translation>全部项目</translation>
    </message>
    <message>
      <source>Applies to: {0}.</source>
      <translation>适用地类：{0}。</translation>
    </message>
    <message>
      <source>Area TBMJ is NULL</source>
      <translation>图斑面积 TBMJ 为空</translation>
    </message>
    <message>
      <source>BSM of abandoned mining parcels (comma separated)</source>
      <translation>废弃工矿图斑的 BSM（以逗号分隔）</translation>
    </message>
    <message>
      <source>Back to the default: the prefecture targets split evenly over the 12 counties/cities</source>
      <translation>恢复默认：黔南州目标平均分解到 12 个县（市）。</translation>
    </message>
    <message>
      <source>Blocks read</source>
      <translation>读取的地块数</translation>
    </message>
    <message>
      <source>Borders a gap between parcels (面无缝隙)</source>
      <translation>面缝隙（与相邻图斑之间有缝隙）</translation>
    </message>
    <message>
      <source>Both (before vs after)</source>
      <translation>两者（整治前后对比）</translation>
    </message>
    <message>
      <source>Building area inside each homestead</source>
      <translation>计算各宅基地内的建筑面积</translation>
    </message>
    <message>
      <source>Building cover below which a homestead is vacant (%)</source>
      <translation>建筑覆盖率低于此值的宅基地视为空置（%）</translation>
    </message>
    <message>
      <source>Building farmland blocks: {}</source>
      <translation>生成耕地连片区：{}</translation>
    </message>
    <message>
      <source>Building footprints</source>
      <translation>建筑物基底面</translation>
    </message>
    <message>
      <source>Building status field</source>
      <translation>建筑物状态字段</translation>
    </message>
    <message>
      <source>CRS: {0} ({1})</source>
      <translation>坐标参考系：{0}（{1}）</translation>
    </message>
    <message>
      <source>Cannot open the DEM: {}</source>
      <translation>无法打开 DEM：{}</translation>
    </message>
    <message>
      <source>Cannot read the rules file {0}: {1}</source>
      <translation>无法读取规则文件 {0}：{1}</translation>
    </message>
    <message>
      <source>Cannot read {0}: {1}</source>
      <translation>无法读取 {0}：{1}</translation>
    </message>
    <message>
      <source>Cannot write layer {0} to {1}: {2}</source>
      <translation>无法将图层 {0} 写入 {1}：{2}</translation>
    </message>
    <message>
      <source>Check control lines (red line, basic farmland, urban boundary)</source>
      <translation>三区三线冲突检查（生态保护红线、永久基本农田、城镇开发边界）</translation>
    </message>
    <message>
      <source>Check parcels (三调 quality check)</source>
      <translation>三调图斑质检</translation>
    </message>
    <message>
      <source>Checking parcels…</source>
      <translation>正在检查图斑…</translation>
    </message>
    <message>
      <source>Choose a task in the list first.</source>
      <translation>请先在列表中选择整治任务。</translation>
    </message>
    <message>
      <source>Choose the parcel layer first.</source>
      <translation>请先选择图斑图层。</translation>
    </message>
    <message>
      <source>Clear consolidation tags</source>
      <translation>清除整治标注</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>代码</translation>
    </message>
    <message>
      <source>Command copied to the clipboard.</source>
      <translation>命令已复制到剪贴板。</translation>
    </message>
    <message>
      <source>Computing slope and zonal means</source>
      <translation>计算坡度及分区均值</translation>
    </message>
    <message>
      <source>Conflict (2)</source>
      <translation>冲突（2）</translation>
    </message>
    <message>
      <source>Consolidation algorithms…</source>
      <translation>全域土地综合整治算法…</translation>
    </message>
    <message>
      <source>Consolidation tasks panel</source>
      <translation>整治任务面板</translation>
    </message>
    <message>
      <source>Construction land (mu)</source>
      <translation>建设用地整理（亩）</translation>
    </message>
    <message>
      <source>Construction land does not increase</source>
      <translation>建设用地总量不增加</translation>
    </message>
    <message>
      <source>Construction-land consolidation</source>
      <translation>建设用地整理</translation>
    </message>
    <message>
      <source>Contiguity summary</source>
      <translation>连片度汇总表</translation>
    </message>
    <message>
      <source>Contiguity {0}: {1} block(s), area-weighted mean {2:.2f} 亩.</source>
      <translation>连片度（{0}）：连片区 {1} 个，面积加权平均 {2:.2f} 亩。</translation>
    </message>
    <message>
      <source>Control lines</source>
      <translation>三区三线</translation>
    </message>
    <message>
      <source>Control-line overlaps</source>
      <translation>三区三线重叠部分</translation>
    </message>
    <message>
      <source>Control-line report (HTML)</source>
      <translation>三区三线冲突检查报告（HTML）</translation>
    </message>
    <message>
      <source>Coordinate precision (m)</source>
      <translation>坐标精度（米）</translation>
    </message>
    <message>
      <source>Copy command</source>
      <translation>复制命令</translation>
    </message>
    <message>
      <source>County</source>
      <translation>县</translation>
    </message>
    <message>
      <source>County quotas (任务分解)</source>
      <translation>县（市）分解任务</translation>
    </message>
    <message>
      <source>County quotas from the QGIS project.</source>
      <translation>分解任务取自 QGIS 工程。</translation>
    </message>
    <message>
      <source>Current land use</source>
      <translation>现状</translation>
    </message>
    <message>
      <source>Current project</source>
      <translation>当前项目</translation>
    </message>
    <message>
      <source>DEM</source>
      <translation>DEM</translation>
    </message>
    <message>
      <source>DEM '{layer}' has only {cols} × {rows} cells of {cell_x:g} × {cell_y:g} m over the parcels: a slope needs at least 3 × 3 cells. Use a DEM of finer resolution (e.g. {max_cell:g} m or finer).</source>
      <translation>DEM“{layer}”在图斑范围内只有 {cols} × {rows} 个 {cell_x:g} × {cell_y:g} 米的像元，计算坡度至少需要 3 × 3 个像元。请使用更高分辨率的 DEM（如 {max_cell:g} 米或更细）。</translation>
    </message>
    <message>
      <source>DEM '{layer}' has {bands} band(s): band {band} does not exist.</source>
      <translation>DEM“{layer}”只有 {bands} 个波段，不存在第 {band} 波段。</translation>
    </message>
    <message>
      <source>DEM '{layer}', band {band}: every cell under the parcels has the value {value:g}: these are no elevations{other_bands}.</source>
      <translation>DEM“{layer}”第 {band} 波段在图斑范围内所有像元均为 {value:g}，不是高程{other_bands_zh}。</translation>
    </message>
    <message>
      <source>DEM '{layer}', band {band}: every cell under the parcels is nodata{other_bands}.</source>
      <translation>DEM“{layer}”第 {band} 波段在图斑范围内全为无数据（nodata）{other_bands_zh}。</translation>
    </message>
    <message>
      <source>DEM '{layer}': its cells of {cell_x:g} × {cell_y:g} m are coarser than {max_cell:g} m and larger than the median parcel ({median:.0f} m²): most parcels' slopes come from one or two cells. Use a finer DEM for parcel slopes.</source>
      <translation>DEM“{layer}”像元为 {cell_x:g} × {cell_y:g} 米，粗于 {max_cell:g} 米且大于图斑面积中位数（{median:.0f} 平方米），多数图斑的坡度仅来自一两个像元。请使用更高分辨率的 DEM。</translation>
    </message>
    <message>
      <source>DEM (slope decides farmland or forest/garden)</source>
      <translation>DEM（按坡度确定复垦为耕地或林地/园地）</translation>
    </message>
    <message>
      <source>DEM band holding the elevations</source>
      <translation>存放高程的 DEM 波段</translation>
    </message>
    <message>
      <source>DEM is in {0}; it is reprojected (bilinear) to {1} for the slope.</source>
      <translation>DEM 的坐标参考系为 {0}；计算坡度时将其重投影（双线性）至 {1}。</translation>
    </message>
    <message>
      <source>DEM window: {0} × {1} cells of {2:g} × {3:g} m in {4}.</source>
      <translation>DEM 读取窗口：{0} × {1} 个像元，像元大小 {2:g} × {3:g} 米，坐标参考系 {4}。</translation>
    </message>
    <message>
      <source>DLBM is no 三调 land-use code</source>
      <translation>地类编码不是三调地类</translation>
    </message>
    <message>
      <source>DLBM values that are no 三调 land-use code, counted nowhere: {codes}.</source>
      <translation>地类编码不属于三调工作分类，未参与统计：{codes}。</translation>
    </message>
    <message>
      <source>Date (YYYY-MM-DD, empty = today)</source>
      <translation>日期（YYYY-MM-DD，留空为当天）</translation>
    </message>
    <message>
      <source>Declaration</source>
      <translation>申报</translation>
    </message>
    <message>
      <source>Declaration TXT file</source>
      <translation>报部坐标TXT文件</translation>
    </message>
    <message>
      <source>Declared blocks</source>
      <translation>申报地块</translation>
    </message>
    <message>
      <source>Deduction area KCMJ is NULL</source>
      <translation>扣除地类面积 KCMJ 为空</translation>
    </message>
    <message>
      <source>Each county's (or township's) share of the prefecture's 2030 targets. Progress is measured against the quota of the project's county, or of its township when the table has a row for it (9-digit code). Stored in the QGIS project.</source>
      <translation>各县（市）（或乡镇）承担的黔南州 2030 年目标任务。完成度按项目所在县（市）的分解任务计算；表中有该乡镇（9 位代码）的行时按乡镇计算。保存在工程文件中。</translation>
    </message>
    <message>
      <source>Ecological (mu)</source>
      <translation>生态修复（亩）</translation>
    </message>
    <message>
      <source>Ecological red line</source>
      <translation>生态保护红线</translation>
    </message>
    <message>
      <source>Ecological red line to check the projects against</source>
      <translation>用于核查项目的生态保护红线</translation>
    </message>
    <message>
      <source>Encoding: {0}; {1} block(s)</source>
      <translation>编码：{0}；{1} 个地块</translation>
    </message>
    <message>
      <source>Enter the project code (XMBH) first: nothing was changed.</source>
      <translation>请先输入项目编号（XMBH）：未做任何修改。</translation>
    </message>
    <message>
      <source>Enter the project code (XMBH) to follow a project.</source>
      <translation>输入项目编号（XMBH）以跟踪该项目。</translation>
    </message>
    <message>
      <source>Even split</source>
      <translation>平均分解</translation>
    </message>
    <message>
      <source>Every Python package the plugin needs is installed.</source>
      <translation>插件所需的 Python 包均已安装。</translation>
    </message>
    <message>
      <source>Excel files (*.xlsx)</source>
      <translation>Excel 文件 (*.xlsx)</translation>
    </message>
    <message>
      <source>Export declaration package (TXT, GeoPackage, map, statistics)</source>
      <translation>导出申报成果（TXT、GeoPackage、范围图、统计表）</translation>
    </message>
    <message>
      <source>Farmland</source>
      <translation>耕地</translation>
    </message>
    <message>
      <source>Farmland (mu)</source>
      <translation>农用地整理（亩）</translation>
    </message>
    <message>
      <source>Farmland blocks</source>
      <translation>耕地连片区</translation>
    </message>
    <message>
      <source>Farmland contiguity (before/after consolidation)</source>
      <translation>耕地集中连片度评价（整治前/后）</translation>
    </message>
    <message>
      <source>Farmland contiguity before and after</source>
      <translation>整治前后耕地集中连片度</translation>
    </message>
    <message>
      <source>Farmland contiguity before/after in the report</source>
      <translation>报告中包含整治前后耕地集中连片度</translation>
    </message>
    <message>
      <source>Farmland land-use codes (DLBM)</source>
      <translation>耕地地类编码（DLBM）</translation>
    </message>
    <message>
      <source>Farmland without slope grade GDPDJB</source>
      <translation>耕地缺耕地坡度级别 GDPDJB</translation>
    </message>
    <message>
      <source>Farmland without 田坎 coefficient KCXS</source>
      <translation>耕地扣除地类系数 KCXS 为空</translation>
    </message>
    <message>
      <source>Farmland {0:.2f} 亩; slope farmland (&gt; {1:g}°) {2:.2f} 亩 in {3} parcel(s); unstable farmland {4:.2f} 亩 in {5} parcel(s).</source>
      <translation>耕地 {0:.2f} 亩；坡耕地（&gt; {1:g}°）{2:.2f} 亩，共 {3} 个图斑；不稳定耕地 {4:.2f} 亩，共 {5} 个图斑。</translation>
    </message>
    <message>
      <source>Fast paths are switched off ({0}=0 or the setting {1}): {2}.</source>
      <translation>快速通道已关闭（{0}=0 或设置 {1}）：{2}。</translation>
    </message>
    <message>
      <source>Field {0} (parameter '{1}') is not in layer '{2}'. Its fields: {3}.</source>
      <translation>图层“{2}”中没有字段 {0}（参数“{1}”）。该图层的字段：{3}。</translation>
    </message>
    <message>
      <source>Field {0} not found in layer '{1}'. The layer needs the 三调 field {0}.</source>
      <translation>图层“{1}”中未找到字段 {0}。该图层须包含三调字段 {0}。</translation>
    </message>
    <message>
      <source>Field {0} not found in layer '{1}': tag the parcels with a project number (XMBH) first.</source>
      <translation>图层“{1}”中未找到字段 {0}：请先为图斑标注项目编号（XMBH）。</translation>
    </message>
    <message>
      <source>Field {0} not found in {1}.</source>
      <translation>图层“{1}”中未找到字段 {0}。</translation>
    </message>
    <message>
      <source>Files written</source>
      <translation>已写出的文件</translation>
    </message>
    <message>
      <source>Finds 林耕置换 candidates. Out (出): slope farmland and unstable farmland, as 'Flag slope farmland' defines them. In (入): garden, forest and other grassland (0404) parcels with mean slope at most MAX_SLOPE_IN, outside the ecological red line, within MAX_DISTANCE of farmland that stays or of a village settlement (CZCSXM 203 or 0702).
Each move-in parcel gets a score ZH_PF (0–100): 35 for flatness (1 − slope / max slope), 25 for nearness (1 − distance / max distance), 15 for size (full from 10 亩), 15 for contiguity (share of its boundary shared with farmland, full from 50 %), 10 for a 可调整 (K) code. Move-in parcels are selected best-ranked first until each village's move-out area is matched (ZH_XZ = 1), then township-wide for villages short of candidates. The balance table gives per village and in total the 亩 out, 亩 in, 亩 available and whether 耕地总量不减少 holds.
Slope comes from the DEM when one is given (as in 'Flag slope farmland'), else from the parcels' PD_MEAN field.</source>
      <translation>筛选林耕置换候选图斑。出：按“坡耕地识别”定义的坡耕地和不稳定耕地。入：平均坡度不超过 MAX_SLOPE_IN、位于生态保护红线外、且距保留耕地或村庄（CZCSXM 为 203 或 0702）不超过 MAX_DISTANCE 的园地、林地和其他草地（0404）图斑。
每个置入图斑得到综合评分 ZH_PF（0–100）：平坦度 35 分（1 − 坡度 / 最大坡度），邻近度 25 分（1 − 距离 / 最大距离），面积 15 分（10 亩及以上得满分），连片度 15 分（与耕地共边长度占其边界长度的比例，50 % 及以上得满分），可调整（K）编码 10 分。置入图斑按得分从高到低选取，直至各村的置出面积得到平衡（ZH_XZ = 1）；候选不足的村再在全乡镇范围内选取。平衡表按村及合计给出置出亩数、置入亩数、可置入亩数，以及是否满足耕地总量不减少。
提供 DEM 时坡度由 DEM 计算（与“坡耕地识别”相同），否则取自图斑的 PD_MEAN 字段。</translation>
    </message>
    <message>
      <source>Flag idle homesteads</source>
      <translation>闲置宅基地识别</translation>
    </message>
    <message>
      <source>Flag slope farmland</source>
      <translation>坡耕地识别</translation>
    </message>
    <message>
      <source>Flags idle rural homesteads (闲置宅基地, DLBM 0702 by default) from building footprints (no building, low building cover, buildings all dilapidated / collapsed / vacant) and from a household survey table (no resident, low annual electricity). Building area counts overlapping footprints once and only the part of a footprint inside the parcel. Each idle parcel gets a reclamation target: farmland where the slope is at most 25° and outside the ecological red line, forest/garden land on steeper ground, not suitable inside the red line. A second output lists villages with their hollowing rate (空心化率) by count and by area, ranked; a village whose rate by area reaches the threshold is a hollow village (空心村).
A 三调 0702 parcel (图斑) is a patch of homestead land, usually of many households: with the homestead 宗地 layer (宅基地宗地, ZDDM, from 房地一体 registration) every 宗地 inside a homestead parcel is judged and counted instead (宗数, hollowing rate by 宗) and the household survey is keyed by ZDDM; without it, counts and rates are per 图斑 and the outputs say so (TJDW). Inside the red line an idle homestead goes back to forest or grass (林地/草地, restoration, allowed).</source>
      <translation>根据建筑物基底面（无建筑、建筑覆盖率低、建筑均为危房/倒塌/空置）和农户调查表（无常住人口、年用电量低）识别农村闲置宅基地（默认 DLBM 为 0702）。计算建筑面积时，相互重叠的建筑物基底面只计一次，且只计落在图斑内的部分。每个闲置图斑给出复垦方向：坡度不超过 25° 且位于生态保护红线外的复垦为耕地，坡度更陡的复垦为林地/园地，位于红线内的复垦为林地/草地（生态修复，允许）。第二个输出按数量和面积列出各村的空心化率并排序；按面积计的空心化率达到阈值的村为空心村。
三调 0702 图斑是一片宅基地，通常包含多户：提供宅基地宗地图层（ZDDM，房地一体确权登记）时，逐宗判定和计数位于宅基地图斑内的宗地（宗数、按宗数的空心化率），农户调查表按 ZDDM 关联；未提供时，数量和比率按图斑计，并在输出中注明（TJDW）。红线内的闲置宅基地复垦为林地/草地（生态修复，允许）。</translation>
    </message>
    <message>
      <source>Flags slope farmland (坡耕地) and unstable farmland (不稳定耕地) of 三调 parcels.
PD_MEAN is the parcel's mean slope in degrees, computed exactly as native:slope (Horn) followed by native:zonalstatisticsfb (mean) would: cells whose centre lies inside the parcel; a parcel with at most one such cell gets the area-weighted mean of the cells it overlaps. PD_GT is the share (%) of those cells steeper than the threshold, PDJB_JS the slope grade 1–5 (≤2°, ≤6°, ≤15°, ≤25°, &gt;25°).
PGD = 1 for farmland whose mean slope exceeds the threshold, or, where the DEM has no value (or no DEM is given), whose recorded GDPDJB is 5. BWD = 1 for slope farmland and for farmland whose TBXHDM is one of the unstable codes (河道/湖区/林区/牧区/沙荒/石漠化耕地). PGD_LY says where the verdict came from (DEM, GDPDJB, TBXHDM); GD_MU is the farmland area TBDLMJ in 亩.
The log lists farmland whose computed grade differs from GDPDJB by two grades or more. The village table sums farmland, slope farmland and unstable farmland (亩) by village (ZLDWDM). The DEM may be in any CRS: a projected DEM is used on its own grid, a geographic one is reprojected to the parcels' working CRS.</source>
      <translation>识别三调图斑中的坡耕地和不稳定耕地。
PD_MEAN 为图斑平均坡度（度），计算结果与先运行 native:slope（Horn 算法）再运行 native:zonalstatisticsfb（均值）完全一致：取中心点落在图斑内的像元；此类像元不超过一个的图斑，取其所覆盖像元的面积加权平均值。PD_GT 为这些像元中坡度大于阈值的比例（%），PDJB_JS 为坡度级别 1–5（≤2°、≤6°、≤15°、≤25°、&gt;25°）。
平均坡度大于阈值的耕地，或在 DEM 无值（或未提供 DEM）时记录的 GDPDJB 为 5 的耕地，PGD = 1。坡耕地以及 TBXHDM 属于不稳定耕地编码（河道/湖区/林区/牧区/沙荒/石漠化耕地）的耕地，BWD = 1。PGD_LY 记录判定依据（DEM、GDPDJB、TBXHDM）；GD_MU 为以亩计的耕地面积 TBDLMJ。
日志列出计算坡度级别与 GDPDJB 相差两级及以上的耕地。分村统计表按村（ZLDWDM）汇总耕地、坡耕地和不稳定耕地面积（亩）。DEM 可为任意坐标参考系：投影坐标系的 DEM 按其自身栅格使用，地理坐标系的 DEM 重投影至图斑的工作坐标参考系。</translation>
    </message>
    <message>
      <source>For each project (parcels sharing a project number, field XMBH), dissolves the tagged parcels into the project boundary (gaps narrower than the gap tolerance closed, holes smaller than the minimum hole area filled), checks it, and writes into the output folder:
- &lt;XMBH&gt;_范围.txt: the boundary in the ministry's coordinate exchange format (报部格式): one 地块 per boundary part, rings numbered by 圈号 (1 outer, 2.. holes), outer rings clockwise from the north-west corner, holes counter-clockwise, each ring closed by repeating its first point, X northing and Y easting with the zone prefix, area in hectares (4 decimals) equal to the area of the coordinates as written, CRLF, GBK by default;
- &lt;XMBH&gt;.gpkg: boundary (ellipsoidal and planar areas, 亩, 公顷), the tagged parcels, statistics tables and the check results;
- &lt;XMBH&gt;_项目区范围图.pdf and .png: the declaration map from the layout template;
- &lt;XMBH&gt;_地类统计表.xlsx: areas by 三调 land class inside the boundary (before consolidation), by task type, and the new farmland.

Coordinates are in the CGCS2000 3-degree Gauss-Krüger zone of the layer's CRS; a layer in any other CRS is transformed to the zone of each project's centre. Errors (no parcels, overlaps between projects or between a project's own parcels, a boundary area that the gap tolerance does not explain) stop that project's export; warnings (invalid parcels repaired, multipart boundary, holes, red-line conflicts, a project spanning two zones) are reported in the log and the GeoPackage.</source>
      <translation>对每个项目（项目编号字段 XMBH 相同的图斑），将已标注图斑融合为项目区范围（闭合窄于缝隙容差的缝隙，填充小于最小内洞面积的内洞），进行检查，并在输出文件夹中写出：
- &lt;XMBH&gt;_范围.txt：报部格式的项目区范围坐标文件：范围的每个部分为一个地块，各环按圈号编号（1 为外环，2 及以后为内洞），外环自西北角起顺时针排列，内洞逆时针排列，每个环以重复首点闭合，X 为纵坐标（北向），Y 为带带号前缀的横坐标（东向），面积以公顷计（保留 4 位小数）且与按所写坐标计算的面积一致，CRLF 换行，默认 GBK 编码；
- &lt;XMBH&gt;.gpkg：项目区范围（椭球面积和平面面积，亩、公顷）、已标注图斑、统计表及检查结果；
- &lt;XMBH&gt;_项目区范围图.pdf 和 .png：按布局模板生成的项目区范围图；
- &lt;XMBH&gt;_地类统计表.xlsx：范围内按三调地类（整治前）、按整治类型统计的面积，以及新增耕地。

坐标采用图层坐标参考系所在的 CGCS2000 3 度带高斯-克吕格投影；其他坐标参考系的图层转换至各项目中心所在的投影带。出现错误（无图斑、项目之间或项目内部图斑相互重叠、范围面积差异无法用缝隙容差解释）时停止导出该项目；警告（已修复无效图斑、范围为多部件、存在内洞、红线冲突、项目跨两个投影带）记录在日志和 GeoPackage 中。</translation>
    </message>
    <message>
      <source>Forest–farmland swap candidates</source>
      <translation>林耕置换候选</translation>
    </message>
    <message>
      <source>Gap tolerance (m): gaps narrower than this are closed</source>
      <translation>缝隙容差（米）：窄于此值的缝隙将被闭合</translation>
    </message>
    <message>
      <source>Gaps</source>
      <translation>缝隙数</translation>
    </message>
    <message>
      <source>Generate sample township</source>
      <translation>生成示例乡镇</translation>
    </message>
    <message>
      <source>Give at least one farmland land-use code.</source>
      <translation>请至少填写一个耕地地类编码。</translation>
    </message>
    <message>
      <source>Groups farmland parcels into contiguous blocks (耕地集中连片): parcels sharing a boundary belong to one block (parcels touching only at a corner do not), and so do fields separated only by a narrow rural road or ditch (bridge codes, no wider than the bridge width; the width is XZDWKD or estimated from the parcel's area and perimeter). Leave the bridge codes empty to form blocks from shared boundaries alone, as native dissolve + multipart to singleparts would.
The after-consolidation scenario removes farmland leaving farmland (林耕置换 out, 坡耕地退出, new construction of 产业融合) and adds parcels becoming farmland (宜耕后备资源开发, 宅基地复垦, 林耕置换 in), read from the dock's tags ZZLX/ZZZLX or the potential survey's output (QL_LX, XZGD_MJ).
Areas are farmland areas net of 田坎, in 亩: TBDLMJ now; after consolidation as the dock and the potential survey count them (land becoming farmland TBMJ × (1 − KCXS of its slope grade), 田坎归并 the merged KCXS). The summary gives per village and in total: number of blocks, mean, area-weighted mean and largest block, share of farmland in blocks of at least the large-block size, blocks per 100 亩; with both scenarios, the change too.</source>
      <translation>将耕地图斑归并为集中连片区（耕地集中连片）：共边的图斑属于同一连片区（仅角点相接的不算），仅被较窄的农村道路或沟渠隔开的耕地也属于同一连片区（连接地类编码，宽度不超过最大宽度；宽度取 XZDWKD，或由图斑面积和周长估算）。连接地类编码留空时仅按共边形成连片区，结果与 native 融合 + 多部件转单部件相同。
整治后情景移除退出耕地的图斑（林耕置换置出、坡耕地退出、产业融合新增建设），并加入变为耕地的图斑（宜耕后备资源开发、宅基地复垦、林耕置换置入），依据整治任务面板的标注 ZZLX/ZZZLX 或整治潜力调查的输出（QL_LX、XZGD_MJ）判断。
面积为扣除田坎后的耕地面积，单位为亩：现状为 TBDLMJ；整治后与整治任务面板、潜力调查的口径相同（变为耕地的土地为 TBMJ ×（1 − 所在坡度级别的田坎系数），田坎归并按归并后的田坎系数）。汇总表按村及合计给出：连片区数量、平均面积、面积加权平均面积和最大连片区面积，位于不小于大连片区面积下限的连片区内的耕地比例，每 100 亩耕地的连片区数；同时计算两种情景时还给出变化量。</translation>
    </message>
    <message>
      <source>HTML files (*.html)</source>
      <translation>HTML 文件 (*.html)</translation>
    </message>
    <message>
      <source>Hollow village at or above this idle share by area (%)</source>
      <translation>闲置面积占比达到此值即为空心村（%）</translation>
    </message>
    <message>
      <source>Homestead parcels (expression)</source>
      <translation>宅基地图斑（表达式）</translation>
    </message>
    <message>
      <source>Homestead 宗地</source>
      <translation>宅基地宗地</translation>
    </message>
    <message>
      <source>Homestead 宗地 (宅基地宗地, ZDDM): counts per 宗地</source>
      <translation>宅基地宗地（ZDDM）：按宗计数</translation>
    </message>
    <message>
      <source>Homestead 宗地 (宅基地宗地, ZDDM): the household table keyed by ZDDM</source>
      <translation>宅基地宗地（ZDDM）：农户调查表按 ZDDM 关联</translation>
    </message>
    <message>
      <source>Homesteads</source>
      <translation>宅基地</translation>
    </message>
    <message>
      <source>Homesteads (idle flagged)</source>
      <translation>宅基地（闲置识别结果）</translation>
    </message>
    <message>
      <source>Household survey table</source>
      <translation>农户调查表</translation>
    </message>
    <message>
      <source>Household table</source>
      <translation>农户调查表</translation>
    </message>
    <message>
      <source>Household table: annual electricity field (kWh)</source>
      <translation>农户调查表：年用电量字段（kWh）</translation>
    </message>
    <message>
      <source>Household table: parcel key field</source>
      <translation>农户调查表：图斑关联字段</translation>
    </message>
    <message>
      <source>Household table: resident count field</source>
      <translation>农户调查表：常住人口字段</translation>
    </message>
    <message>
      <source>Identifier BSM is NULL</source>
      <translation>标识码 BSM 为空</translation>
    </message>
    <message>
      <source>Identifier BSM is not unique</source>
      <translation>标识码 BSM 重复</translation>
    </message>
    <message>
      <source>Idle at or below this many residents</source>
      <translation>常住人口不超过此数视为闲置</translation>
    </message>
    <message>
      <source>Idle below this annual electricity (kWh)</source>
      <translation>年用电量低于此值视为闲置（kWh）</translation>
    </message>
    <message>
      <source>Import declaration coordinate TXT</source>
      <translation>导入报部坐标TXT</translation>
    </message>
    <message>
      <source>Install Python packages…</source>
      <translation>安装 Python 包…</translation>
    </message>
    <message>
      <source>Install now</source>
      <translation>立即安装</translation>
    </message>
    <message>
      <source>Installed. Restart QGIS to use the land consolidation plugin.</source>
      <translation>安装完成。请重启 QGIS 后使用全域土地综合整治插件。</translation>
    </message>
    <message>
      <source>Installing… this can take a few minutes.</source>
      <translation>正在安装……可能需要几分钟。</translation>
    </message>
    <message>
      <source>Install…</source>
      <translation>安装…</translation>
    </message>
    <message>
      <source>Internal error: output field(s) missing: {}</source>
      <translation>内部错误：缺少输出字段：{}</translation>
    </message>
    <message>
      <source>Invalid homestead expression: {}</source>
      <translation>宅基地表达式无效：{}</translation>
    </message>
    <message>
      <source>Invalid or missing geometry</source>
      <translation>几何无效或无几何</translation>
    </message>
    <message>
      <source>Invalid targets: {}</source>
      <translation>目标无效：{}</translation>
    </message>
    <message>
      <source>Judging the potential of every parcel</source>
      <translation>逐图斑评估整治潜力</translation>
    </message>
    <message>
      <source>KCMJ ≠ round(TBMJ × KCXS, 2)</source>
      <translation>扣除地类面积 KCMJ 计算不符（≠ round(TBMJ × KCXS, 2)）</translation>
    </message>
    <message>
      <source>Land Consolidation</source>
      <translation>全域土地综合整治</translation>
    </message>
    <message>
      <source>Land class not suited to the task</source>
      <translation>地类与任务不符</translation>
    </message>
    <message>
      <source>Land classes or recorded areas cannot be read from it.</source>
      <translation>无法从中读取地类或调查面积。</translation>
    </message>
    <message>
      <source>Land consolidation</source>
      <translation>全域土地综合整治</translation>
    </message>
    <message>
      <source>Land consolidation tasks</source>
      <translation>全域土地综合整治任务</translation>
    </message>
    <message>
      <source>Land-use code DLBM is NULL</source>
      <translation>地类编码 DLBM 为空</translation>
    </message>
    <message>
      <source>Large block from (亩)</source>
      <translation>大连片区面积下限（亩）</translation>
    </message>
    <message>
      <source>Layer '{0}' cannot be edited: nothing was changed.</source>
      <translation>图层“{0}”无法编辑：未做任何修改。</translation>
    </message>
    <message>
      <source>Layer '{0}' cannot take new fields ({1}).</source>
      <translation>图层“{0}”无法添加新字段（{1}）。</translation>
    </message>
    <message>
      <source>Layer '{0}' does not allow editing attributes: nothing was changed.</source>
      <translation>图层“{0}”不允许编辑属性：未做任何修改。</translation>
    </message>
    <message>
      <source>Layer '{0}' has neither the land-use code DLBM nor task fields (ZZLX/ZZZLX): its levels CT_DJ judge nothing, only the overlap areas are measured.</source>
      <translation>图层“{0}”既没有地类编码 DLBM，也没有整治类型字段（ZZLX/ZZZLX）：其冲突等级 CT_DJ 无从判定，只量算了重叠面积。</translation>
    </message>
    <message>
      <source>Layer '{0}' has no field(s) {1}. Add them to tag parcels? They are added in the layer's edit session: saving the edits writes them to the file (its schema changes), rolling back removes them.</source>
      <translation>图层“{0}”没有字段 {1}。是否添加这些字段以标注图斑？字段加在图层的编辑会话中：保存编辑时写入文件（文件的字段结构随之改变），回滚编辑则删除。</translation>
    </message>
    <message>
      <source>Layer '{0}' has no land-class field DLBM: is it the parcel layer (三调 地类图斑)? Tag its {1} selected feature(s) anyway?</source>
      <translation>图层“{0}”没有地类编码字段 DLBM：它是三调地类图斑图层吗？仍要标注所选的 {1} 个要素吗？</translation>
    </message>
    <message>
      <source>Layer '{0}' has no tag fields: nothing to clear.</source>
      <translation>图层“{0}”没有标注字段：无需清除。</translation>
    </message>
    <message>
      <source>Layer '{0}' has no 三调 field(s) {1}: is it the parcel layer (地类图斑)?</source>
      <translation>图层“{0}”没有三调字段 {1}：它是地类图斑图层吗？</translation>
    </message>
    <message>
      <source>Layer '{0}' has no 三调 field(s) {1}: is it the parcel layer (地类图斑)? Its areas and land classes cannot be counted.</source>
      <translation>图层“{0}”没有三调字段 {1}：它是地类图斑图层吗？无法统计其面积和地类。</translation>
    </message>
    <message>
      <source>Layer '{0}' is read-only: nothing was changed.</source>
      <translation>图层“{0}”为只读：未做任何修改。</translation>
    </message>
    <message>
      <source>Layer '{0}' must contain polygons, it has {1} geometries.</source>
      <translation>图层“{0}”必须为面图层，其几何类型为 {1}。</translation>
    </message>
    <message>
      <source>Layer '{0}' needs a key field to join the household table (PARCEL_KEY).</source>
      <translation>图层“{0}”须有与农户调查表关联的字段（PARCEL_KEY）。</translation>
    </message>
    <message>
      <source>Layer '{layer}' has an undefined coordinate reference system ({crs}){hint}. Set the layer's CRS in QGIS (Layer Properties → Source, or 'Assign projection') and run again.</source>
      <translation>图层“{layer}”的坐标参考系未定义（{crs}）{hint_zh}。请在 QGIS 中设置图层坐标系后重新运行。</translation>
    </message>
    <message>
      <source>Layer '{layer}' has no coordinate reference system (a shapefile without .prj, or no CRS in the file){hint}. Set the layer's CRS in QGIS (Layer Properties → Source, or 'Assign projection') and run again.</source>
      <translation>图层“{layer}”没有坐标参考系（如缺少 .prj 的 shapefile）{hint_zh}。请在 QGIS 中设置图层坐标系（图层属性 → 源，或“指定投影”）后重新运行。</translation>
    </message>
    <message>
      <source>Layer '{layer}' has no usable CRS: {assumed} is assumed, as the setting {setting} says.</source>
      <translation>图层“{layer}”没有可用的坐标系，按设置 {setting} 假定为 {assumed}。</translation>
    </message>
    <message>
      <source>Layer '{layer}' is in a geographic CRS ({crs}) but its coordinates ({x:.0f}, {y:.0f}) are not degrees{hint}: the CRS does not fit the coordinates. Set the right CRS on the layer.</source>
      <translation>图层“{layer}”为地理坐标系（{crs}），但坐标（{x:.0f}，{y:.0f}）不是经纬度{hint_zh}，坐标系与坐标不符。请为图层设置正确的坐标系。</translation>
    </message>
    <message>
      <source>Layer '{layer}' lies at {lon:.3f}°E, {lat:.3f}°N, outside Qiannan (zone-36 eastings {e_min:.0f}–{e_max:.0f}, northings {n_min:.0f}–{n_max:.0f}): check its CRS.</source>
      <translation>图层“{layer}”位于东经 {lon:.3f}°、北纬 {lat:.3f}°，不在黔南州范围内（36 带横坐标 {e_min:.0f}–{e_max:.0f}，纵坐标 {n_min:.0f}–{n_max:.0f}），请核对坐标系。</translation>
    </message>
    <message>
      <source>Layer '{layer}': its CRS {crs} has the zone prefix {zone} but its eastings ({x:.0f}) have none: the CRS contradicts the coordinates. Set the layer's CRS to {suggested} (zone {zone} without prefix).</source>
      <translation>图层“{layer}”的坐标系 {crs} 带带号 {zone}，但横坐标（{x:.0f}）不带带号，坐标系与坐标矛盾。请将图层坐标系设为 {suggested}（{zone} 带，不带带号）。</translation>
    </message>
    <message>
      <source>Layer '{layer}': its coordinates ({x:.0f}, {y:.0f}) cannot be placed on the earth in its CRS {crs}: the CRS does not fit the coordinates.</source>
      <translation>图层“{layer}”的坐标（{x:.0f}，{y:.0f}）在其坐标系 {crs} 下无法换算为经纬度，坐标系与坐标不符。</translation>
    </message>
    <message>
      <source>Layer '{layer}': its coordinates ({x:.0f}, {y:.0f}) lie outside China in its Gauss–Krüger CRS {crs} (eastings {e_min:.0f}–{e_max:.0f}, northings {n_min:.0f}–{n_max:.0f}): check the CRS.</source>
      <translation>图层“{layer}”的坐标（{x:.0f}，{y:.0f}）在其高斯-克吕格坐标系 {crs} 下不在我国范围内（横坐标 {e_min:.0f}–{e_max:.0f}，纵坐标 {n_min:.0f}–{n_max:.0f}），请核对坐标系。</translation>
    </message>
    <message>
      <source>Layer '{layer}': its eastings ({x:.0f}) carry the zone prefix {zone_found} but its CRS {crs} has none: the CRS contradicts the coordinates. Set the layer's CRS to {suggested} (zone {zone_found} with prefix).</source>
      <translation>图层“{layer}”的横坐标（{x:.0f}）带有带号 {zone_found}，但其坐标系 {crs} 不带带号，坐标系与坐标矛盾。请将图层坐标系设为 {suggested}（{zone_found} 带，带带号）。</translation>
    </message>
    <message>
      <source>Layer '{layer}': its eastings ({x:.0f}) carry zone {zone_found} but its CRS {crs} is zone {zone}: the CRS contradicts the coordinates. Set the layer's CRS to {suggested}.</source>
      <translation>图层“{layer}”的横坐标（{x:.0f}）带号为 {zone_found}，但其坐标系 {crs} 为 {zone} 带，坐标系与坐标矛盾。请将图层坐标系设为 {suggested}。</translation>
    </message>
    <message>
      <source>Layer '{layer}': its x coordinates ({x:.0f}) look like northings and its y coordinates ({y:.0f}) like eastings in {crs}: X and Y are swapped. Swap them (e.g. with 'Swap X and Y coordinates') before running.</source>
      <translation>图层“{layer}”在 {crs} 下的 x 坐标（{x:.0f}）像纵坐标（北向），y 坐标（{y:.0f}）像横坐标：X、Y 颠倒。请先交换 X、Y 坐标再运行。</translation>
    </message>
    <message>
      <source>Levels: {0} conflict(s), {1} need attention, {2} without conflict; {3} boundary sliver(s).</source>
      <translation>冲突等级：冲突 {0} 个，需关注 {1} 个，无冲突 {2} 个；边界碎片 {3} 个。</translation>
    </message>
    <message>
      <source>Linear land-use codes that do not break a block (empty: shared boundaries only)</source>
      <translation>不打断连片的线状地类编码（留空：仅按共边连片）</translation>
    </message>
    <message>
      <source>Location code ZLDWDM is NULL</source>
      <translation>坐落单位代码 ZLDWDM 为空</translation>
    </message>
    <message>
      <source>Make the declaration map (PDF and PNG)</source>
      <translation>生成项目区范围图（PDF 和 PNG）</translation>
    </message>
    <message>
      <source>Map page</source>
      <translation>图纸版式</translation>
    </message>
    <message>
      <source>Maximum distance to farmland or a village (m)</source>
      <translation>距耕地或村庄的最大距离（米）</translation>
    </message>
    <message>
      <source>Maximum mean slope of land moving in (degrees)</source>
      <translation>置入地块的最大平均坡度（度）</translation>
    </message>
    <message>
      <source>Maximum width of a road or ditch inside a block (m)</source>
      <translation>连片区内道路或沟渠的最大宽度（米）</translation>
    </message>
    <message>
      <source>Measures how much of each parcel lies inside the ecological red line, the permanent basic farmland (PBF) and the urban development boundary (UDB), and judges each parcel by the work planned on it (task fields ZZLX/ZZZLX) or, without them, by its land class: ecological restoration inside the red line is allowed (0); new farmland, reclamation to farmland or construction inside it is a conflict (2); existing farmland inside it and work touching the PBF or the UDB need attention (1). Overlaps smaller than the minimum area are boundary slivers, reported separately.

Areas are planar (m², in the parcels' projected CRS) and equal those of QGIS's 'Overlap analysis'. Control lines in another CRS are reprojected; invalid polygons are repaired.

Outputs: the parcels with HX_MJ/HX_BL, JBNT_MJ/JBNT_BL, KFBJ_MJ/KFBJ_BL (NULL for a line that was not given), CT_DJ (level), CT_SM (reason), CT_SL (sliver); the overlap pieces; an HTML report in Chinese with a map.</source>
      <translation>计算每个图斑位于生态保护红线、永久基本农田（PBF）和城镇开发边界（UDB）内的面积，并按图斑的拟实施任务（整治类型字段 ZZLX/ZZZLX）判定冲突等级；没有任务字段时按地类判定：生态保护修复位于红线内允许（0）；新增耕地、复垦为耕地或建设位于红线内为冲突（2）；现状耕地位于红线内、以及涉及永久基本农田或城镇开发边界的需关注（1）。小于最小面积的重叠视为边界碎片，单独报告。

面积为平面面积（平方米，图斑所在投影坐标系），与 QGIS“叠加分析”的结果一致。其他坐标系的控制线会重投影；无效多边形会被修复。

输出：带 HX_MJ/HX_BL、JBNT_MJ/JBNT_BL、KFBJ_MJ/KFBJ_BL（未提供的控制线为空值）、CT_DJ（冲突等级）、CT_SM（原因）、CT_SL（碎片）的图斑；重叠部分图层；附地图的中文 HTML 报告。</translation>
    </message>
    <message>
      <source>Measuring overlaps…</source>
      <translation>计算叠加面积…</translation>
    </message>
    <message>
      <source>Minimum hole area (m²): smaller holes are filled</source>
      <translation>最小内洞面积（m²）：更小的内洞将被填充</translation>
    </message>
    <message>
      <source>Minimum overlap area (m²); smaller ones are slivers</source>
      <translation>最小重叠面积（m²）；更小的视为边界碎片</translation>
    </message>
    <message>
      <source>Missing Python package: {}</source>
      <translation>缺少 Python 包：{}</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Needs attention (1)</source>
      <translation>需关注（1）</translation>
    </message>
    <message>
      <source>Net area TBDLMJ is NULL</source>
      <translation>图斑地类面积 TBDLMJ 为空</translation>
    </message>
    <message>
      <source>New farmland at least 5 % of the original farmland</source>
      <translation>新增耕地不少于原有耕地的 5%</translation>
    </message>
    <message>
      <source>No DEM given and USE_GDPDJB is off: there is nothing to judge slope by.</source>
      <translation>未提供 DEM 且未启用 USE_GDPDJB：无法判断坡度。</translation>
    </message>
    <message>
      <source>No DEM given and layer '{0}' has no GDPDJB (耕地坡度级别) field: give a DEM, or parcels with the recorded slope grade GDPDJB.</source>
      <translation>未提供 DEM，且图层“{0}”没有 GDPDJB（耕地坡度级别）字段：请提供 DEM，或使用记录了耕地坡度级别 GDPDJB 的图斑。</translation>
    </message>
    <message>
      <source>No DEM: rocky-desertification control holds only rocky farmland and bare land or other grassland inside the red line.</source>
      <translation>未提供 DEM：石漠化治理只含石漠化耕地和红线内的裸地、其他草地。</translation>
    </message>
    <message>
      <source>No DEM: slope not checked, idle homesteads outside the red line are taken as reclaimable to farmland.</source>
      <translation>未提供 DEM：不检查坡度，生态保护红线外的闲置宅基地均视为可复垦为耕地。</translation>
    </message>
    <message>
      <source>No DEM: slopes are read from the PD_MEAN field.</source>
      <translation>未提供 DEM：坡度取自 PD_MEAN 字段。</translation>
    </message>
    <message>
      <source>No DEM: the reclamation of abandoned mining land ignores slope (all reclaimable to farmland).</source>
      <translation>未提供 DEM：废弃工矿用地复垦未检查坡度（均按可复垦为耕地）。</translation>
    </message>
    <message>
      <source>No DEM: the reclamation target of idle homesteads ignores slope (all reclaimable to farmland).</source>
      <translation>未提供 DEM：闲置宅基地复垦方向未检查坡度（均按可复垦为耕地）。</translation>
    </message>
    <message>
      <source>No TBDLMJ field: farmland areas are TBMJ − KCMJ, or the planar parcel area less the KCXS deduction.</source>
      <translation>无 TBDLMJ 字段：耕地面积取 TBMJ − KCMJ，或取图斑平面面积扣除按 KCXS 计算的田坎面积。</translation>
    </message>
    <message>
      <source>No TBDLMJ field: farmland areas are the planar parcel areas.</source>
      <translation>无 TBDLMJ 字段：耕地面积取图斑平面面积。</translation>
    </message>
    <message>
      <source>No ZLDWDM field, village field or village polygons: all homesteads are counted as one village.</source>
      <translation>无 ZLDWDM 字段、村字段或村界面图层：所有宅基地按同一个村统计。</translation>
    </message>
    <message>
      <source>No ZZLX/ZZZLX tags or QL_LX potential types in the layer: the farmland after consolidation is the current farmland.</source>
      <translation>图层中无 ZZLX/ZZZLX 标注或 QL_LX 潜力类型：整治后耕地即现状耕地。</translation>
    </message>
    <message>
      <source>No conflict (0)</source>
      <translation>无冲突（0）</translation>
    </message>
    <message>
      <source>No control line given: choose the ecological red line, the permanent basic farmland or the urban development boundary (at least one).</source>
      <translation>未提供管控线：请至少选择生态保护红线、永久基本农田、城镇开发边界中的一项。</translation>
    </message>
    <message>
      <source>No ecological red line given: candidates are not checked against it.</source>
      <translation>未提供生态保护红线：不检查候选图斑是否位于红线内。</translation>
    </message>
    <message>
      <source>No ecological red line: reclamation targets, rocky-desertification control and new farmland were not judged against it.</source>
      <translation>未提供生态保护红线：复垦方向、石漠化治理和新增耕地未按红线判定。</translation>
    </message>
    <message>
      <source>No farmland (codes {0}) in the layer for scenario '{1}': no blocks.</source>
      <translation>情景“{1}”下图层中无耕地（编码 {0}）：无连片区。</translation>
    </message>
    <message>
      <source>No land classes</source>
      <translation>没有地类</translation>
    </message>
    <message>
      <source>No new farmland inside the ecological red line</source>
      <translation>不在生态保护红线内新增耕地</translation>
    </message>
    <message>
      <source>No new farmland on slopes above 25°</source>
      <translation>不在 25° 以上坡地新增耕地</translation>
    </message>
    <message>
      <source>No output folder given.</source>
      <translation>未指定输出文件夹。</translation>
    </message>
    <message>
      <source>No parcel layer.</source>
      <translation>未选择图斑图层。</translation>
    </message>
    <message>
      <source>No parcel matches the homestead expression {}; the outputs are empty.</source>
      <translation>没有图斑符合宅基地表达式 {}；输出为空。</translation>
    </message>
    <message>
      <source>No parcel of layer '{1}' has a project number in field {0}: tag parcels with the consolidation dock (XMBH, XMMC) before exporting.</source>
      <translation>图层“{1}”中没有图斑在字段 {0} 中填有项目编号：导出前请先用整治任务面板标注图斑（XMBH、XMMC）。</translation>
    </message>
    <message>
      <source>No parcels are tagged for project {0} (field {1}); nothing exported for it.</source>
      <translation>项目 {0} 没有已标注图斑（字段 {1}）；该项目未导出。</translation>
    </message>
    <message>
      <source>No potential</source>
      <translation>无潜力</translation>
    </message>
    <message>
      <source>No tagged parcels in this project yet: the whole layer is checked.</source>
      <translation>本项目尚无已标注图斑：将检查整个图层。</translation>
    </message>
    <message>
      <source>No task-type field (ZZLX/ZZZLX): every parcel is judged as a project parcel from its land class (DLBM) alone.</source>
      <translation>无整治类型字段（ZZLX/ZZZLX）：所有图斑均视为项目图斑，仅按地类（DLBM）判定。</translation>
    </message>
    <message>
      <source>No urban development boundary: reserve land inside it was not excluded.</source>
      <translation>未提供城镇开发边界：宜耕后备资源未排除城镇开发边界内的图斑。</translation>
    </message>
    <message>
      <source>None of the requested projects has tagged parcels: {0}. Projects in layer '{2}': {1}</source>
      <translation>所指定的项目均无已标注图斑：{0}。图层“{2}”中的项目：{1}</translation>
    </message>
    <message>
      <source>Not enough land to move in: farmland would decrease by {0:.2f} 亩.</source>
      <translation>可置入地块不足：耕地将减少 {0:.2f} 亩。</translation>
    </message>
    <message>
      <source>Not idle</source>
      <translation>非闲置</translation>
    </message>
    <message>
      <source>Nothing tagged.</source>
      <translation>未标注任何图斑。</translation>
    </message>
    <message>
      <source>Nothing tagged: the tag fields were not added.</source>
      <translation>未标注：未添加标注字段。</translation>
    </message>
    <message>
      <source>Number of parcels</source>
      <translation>图斑数量</translation>
    </message>
    <message>
      <source>On this system the packages of the distribution are recent enough: run &lt;code&gt;{0}&lt;/code&gt; in a terminal, or use “Install now”.</source>
      <translation>本系统软件源中的包版本已足够新：可在终端运行 &lt;code&gt;{0}&lt;/code&gt;，或点击“立即安装”。</translation>
    </message>
    <message>
      <source>Out {0:.2f} 亩 ({1} parcels), in {2:.2f} 亩 selected of {3:.2f} 亩 available; 耕地总量不减少: {4}.</source>
      <translation>置出 {0:.2f} 亩（{1} 个图斑），置入已选 {2:.2f} 亩（可置入 {3:.2f} 亩）；耕地总量不减少：{4}。</translation>
    </message>
    <message>
      <source>Output '{0}' ({1}) would overwrite input '{2}' ({3}). Choose another file or layer name; nothing has been written.</source>
      <translation>输出“{0}”（{1}）会覆盖输入“{2}”（{3}）。请另选文件或图层名；未写入任何内容。</translation>
    </message>
    <message>
      <source>Output folder</source>
      <translation>输出文件夹</translation>
    </message>
    <message>
      <source>Output folder is not writable: {}</source>
      <translation>输出文件夹不可写：{}</translation>
    </message>
    <message>
      <source>Outputs '{0}' and '{1}' are both {2}: the second would overwrite the first. Choose different files; nothing has been written.</source>
      <translation>输出“{0}”和“{1}”同为 {2}，后者会覆盖前者。请选择不同的文件；未写入任何内容。</translation>
    </message>
    <message>
      <source>Overlaps</source>
      <translation>重叠数</translation>
    </message>
    <message>
      <source>Overlaps another parcel (面不重叠)</source>
      <translation>面重叠（与其他图斑重叠）</translation>
    </message>
    <message>
      <source>Parcels</source>
      <translation>图斑</translation>
    </message>
    <message>
      <source>Parcels (DLTB)</source>
      <translation>图斑（DLTB）</translation>
    </message>
    <message>
      <source>Parcels (DLTB, or the tagged project parcels)</source>
      <translation>图斑（DLTB，或已标注的项目图斑）</translation>
    </message>
    <message>
      <source>Parcels (三调 DLTB)</source>
      <translation>图斑（三调 DLTB）</translation>
    </message>
    <message>
      <source>Parcels already tagged</source>
      <translation>图斑已有标注</translation>
    </message>
    <message>
      <source>Parcels with block</source>
      <translation>图斑（含连片区编号）</translation>
    </message>
    <message>
      <source>Parcels with control-line check</source>
      <translation>图斑（含三区三线检查结果）</translation>
    </message>
    <message>
      <source>Parcels with potential</source>
      <translation>图斑（含整治潜力）</translation>
    </message>
    <message>
      <source>Parcels with problems</source>
      <translation>有问题的图斑数</translation>
    </message>
    <message>
      <source>Parcels with quality flags</source>
      <translation>图斑质检结果</translation>
    </message>
    <message>
      <source>Parcels with slope farmland</source>
      <translation>图斑（含坡耕地识别结果）</translation>
    </message>
    <message>
      <source>Parcels: key field joined to the household table</source>
      <translation>图斑：与农户调查表关联的字段</translation>
    </message>
    <message>
      <source>Permanent basic farmland</source>
      <translation>永久基本农田</translation>
    </message>
    <message>
      <source>Permanent basic farmland moved out at most 5 %</source>
      <translation>永久基本农田调出不超过 5%</translation>
    </message>
    <message>
      <source>Permanent basic farmland replaced at least 105 %</source>
      <translation>永久基本农田补划不少于调出的 105%</translation>
    </message>
    <message>
      <source>Potential report (HTML)</source>
      <translation>整治潜力报告（HTML）</translation>
    </message>
    <message>
      <source>Potential summary</source>
      <translation>整治潜力汇总表</translation>
    </message>
    <message>
      <source>Potential survey</source>
      <translation>整治潜力调查</translation>
    </message>
    <message>
      <source>Potential type {0} skipped: {1}</source>
      <translation>已跳过潜力类型 {0}：{1}</translation>
    </message>
    <message>
      <source>Potential workbook (Excel)</source>
      <translation>整治潜力工作簿（Excel）</translation>
    </message>
    <message>
      <source>Preparing {}…</source>
      <translation>正在准备{}…</translation>
    </message>
    <message>
      <source>Problems reported</source>
      <translation>报告的问题数</translation>
    </message>
    <message>
      <source>Producing unit (数据产生单位)</source>
      <translation>数据产生单位</translation>
    </message>
    <message>
      <source>Progress is measured against: {0}.</source>
      <translation>目标完成度的计算依据：{0}。</translation>
    </message>
    <message>
      <source>Project area of the 5 % rule: {0}; all their farmland counts, tagged or not, net of 田坎 (parcels tagged for another project count in that project's area).</source>
      <translation>5% 规则的项目区：{0}；其中全部现状耕地（扣除田坎，不论是否标注）计入分母（已标注为其他项目的图斑计入该项目的项目区）。</translation>
    </message>
    <message>
      <source>Project boundaries</source>
      <translation>项目区范围</translation>
    </message>
    <message>
      <source>Project number field</source>
      <translation>项目编号字段</translation>
    </message>
    <message>
      <source>Project {0} ({1}/{2})</source>
      <translation>项目 {0}（{1}/{2}）</translation>
    </message>
    <message>
      <source>Project {0} not exported: fix the errors above first.</source>
      <translation>项目 {0} 未导出：请先修正上述错误。</translation>
    </message>
    <message>
      <source>Project {0} not exported: {1}</source>
      <translation>项目 {0} 未导出：{1}</translation>
    </message>
    <message>
      <source>Project {0}: all checks passed.</source>
      <translation>项目 {0}：全部检查通过。</translation>
    </message>
    <message>
      <source>Project {0}: text not representable in {1}: {2}</source>
      <translation>项目 {0}：文本无法用 {1} 编码表示：{2}</translation>
    </message>
    <message>
      <source>Project {0}: {1} block(s), {2} boundary points, {3:.4f} ha written to {4}</source>
      <translation>项目 {0}：{1} 个地块，{2} 个界址点，{3:.4f} 公顷，已写入 {4}</translation>
    </message>
    <message>
      <source>Project {project} has no parcels (or only empty geometries).</source>
      <translation>项目 {project} 没有图斑（或图斑几何为空）。</translation>
    </message>
    <message>
      <source>Project {project} is too small for the coordinate precision {grid:g} m: its boundary ({area:.6f} m²) vanishes when rounded, the TXT would hold no 地块. Not exported.</source>
      <translation>项目 {project} 面积过小（{area:.6f} 平方米），按坐标精度 {grid:g} 米取整后范围消失，TXT 将没有地块，未导出</translation>
    </message>
    <message>
      <source>Project {project} spans 3° zones (longitude {lon_min:.4f}°–{lon_max:.4f}°, zones {zones}); written in zone {zone}.</source>
      <translation>项目 {project} 跨 3 度带（经度 {lon_min:.4f}°–{lon_max:.4f}°，涉及 {zones} 带），按 {zone} 带写出。</translation>
    </message>
    <message>
      <source>Project {project}: its boundary overlaps the parcels of project {other} by {area:.2f} m².</source>
      <translation>项目 {project} 的范围与项目 {other} 的图斑重叠 {area:.2f} 平方米。</translation>
    </message>
    <message>
      <source>Project {project}: its number is too long for a file name; its files are named {new}.</source>
      <translation>项目 {project}：项目编号过长，不能用作文件名，其文件名截短为 {new}。</translation>
    </message>
    <message>
      <source>Project {project}: its parcels overlap each other by {area:.2f} m²; resolve the overlapping parcels first.</source>
      <translation>项目 {project} 的图斑相互重叠 {area:.2f} 平方米，请先处理重叠图斑。</translation>
    </message>
    <message>
      <source>Project {project}: the boundary has {n} hole(s) of {area:.2f} m² (written as inner rings by 圈号).</source>
      <translation>项目 {project} 的范围含 {n} 个洞，面积 {area:.2f} 平方米（按圈号写出内环）。</translation>
    </message>
    <message>
      <source>Project {project}: the boundary is {n} separate blocks (each written as its own 地块).</source>
      <translation>项目 {project} 的范围由 {n} 个不相连的地块组成（按地块分别写出）。</translation>
    </message>
    <message>
      <source>Project {project}: the boundary's area {boundary:.2f} m² differs from the sum of its parcels' areas {parcels:.2f} m² by {diff:.2f} m², more than the gap tolerance explains ({allowed:.2f} m²).</source>
      <translation>项目 {project} 的范围面积 {boundary:.2f} 平方米与图斑面积之和 {parcels:.2f} 平方米相差 {diff:.2f} 平方米，超出缝隙容差可解释的 {allowed:.2f} 平方米。</translation>
    </message>
    <message>
      <source>Project {project}: the folder already holds {existing}; this project's files are named {new} instead (nothing is overwritten).</source>
      <translation>项目 {project}：输出文件夹中已有 {existing}，本项目的文件改名为 {new}（不覆盖已有文件）。</translation>
    </message>
    <message>
      <source>Project {project}: {n} parcel geometries are invalid (self-intersecting…); they were repaired before the dissolve.</source>
      <translation>项目 {project} 有 {n} 个图斑几何无效（自相交等），已修复后参与合并。</translation>
    </message>
    <message>
      <source>Project {project}: {n} parcel(s) in conflict with the ecological red line, overlapping it by {area:.2f} m²{reasons}.</source>
      <translation>项目 {project} 有 {n} 个图斑与生态保护红线冲突，重叠 {area:.2f} 平方米{reasons}。</translation>
    </message>
    <message>
      <source>Project {project}: {n} parcel(s) need attention at the ecological red line, overlapping it by {area:.2f} m²{reasons}.</source>
      <translation>项目 {project} 有 {n} 个图斑与生态保护红线需关注，重叠 {area:.2f} 平方米{reasons}。</translation>
    </message>
    <message>
      <source>Projects exported</source>
      <translation>已导出项目数</translation>
    </message>
    <message>
      <source>Projects not exported</source>
      <translation>未导出项目数</translation>
    </message>
    <message>
      <source>Projects to export (comma-separated project numbers; empty = all)</source>
      <translation>要导出的项目（项目编号，以逗号分隔；留空为全部）</translation>
    </message>
    <message>
      <source>Projects {first} and {project} give the same file name {stem}: the files of {project} are named {new} instead.</source>
      <translation>项目 {first} 与 {project} 的文件名同为 {stem}，{project} 的文件改名为 {new}。</translation>
    </message>
    <message>
      <source>Python packages for Land Consolidation</source>
      <translation>全域土地综合整治插件所需的 Python 包</translation>
    </message>
    <message>
      <source>Qiannan Land Consolidation</source>
      <translation>黔南全域土地综合整治</translation>
    </message>
    <message>
      <source>Qiannan comprehensive land consolidation (黔南全域土地综合整治)</source>
      <translation>黔南全域土地综合整治</translation>
    </message>
    <message>
      <source>Quality check</source>
      <translation>数据质检</translation>
    </message>
    <message>
      <source>Quality report (HTML)</source>
      <translation>质检报告（HTML）</translation>
    </message>
    <message>
      <source>Quality workbook (xlsx)</source>
      <translation>质检工作簿（xlsx）</translation>
    </message>
    <message>
      <source>Random seed</source>
      <translation>随机种子</translation>
    </message>
    <message>
      <source>Ranking candidates</source>
      <translation>候选图斑排序</translation>
    </message>
    <message>
      <source>Reading building footprints</source>
      <translation>读取建筑物基底面</translation>
    </message>
    <message>
      <source>Reading parcels</source>
      <translation>读取图斑</translation>
    </message>
    <message>
      <source>Reading parcels…</source>
      <translation>读取图斑…</translation>
    </message>
    <message>
      <source>Reads a boundary coordinate file in the ministry's exchange format (报部格式: [属性描述] and [地块坐标]) into polygons, one feature per 地块 with its header fields, in the CGCS2000 3-degree Gauss-Krüger CRS of its zone number (带号), with the zone prefix when the Y coordinates carry it. Rings are assembled by 圈号; a ring inside another becomes its hole. Accepted variants: GBK, UTF-8 (with or without BOM) and UTF-16 (tried in that documented order; the log says which was used); areas with a 公顷 suffix; point numbers that do not restart; sections before [属性描述]; the 13-field 地块 line; swapped X/Y columns (detected from the digit count); full-width commas and digits, tabs, quotes and empty trailing fields (warnings).
Checked, each naming its line and 地块: a file cut off (fewer points than 界址点数, a ring not closed), points that cannot be where they say (a Y prefix other than 带号, outside the zone or Qiannan, more than 100 km from the 地块's other points), invalid rings (self-intersecting, fewer than 3 points, no area), 带号 outside the CGCS2000 3-degree zones 25–45, the stated area against the coordinates, 圈号 out of order, bytes that are no text.
With 'Stop on errors' any of these rejects the file. Without it each is a warning and the 地块 is imported as a valid polygon (repaired with make_valid) or flagged: ZT (状态) is 正常, 已修复, 存疑 or 无效 (no geometry) and SM (说明) lists its problems in Chinese with their line numbers.</source>
      <translation>按部颁交换格式（报部格式：[属性描述] 与 [地块坐标]）读入界址点坐标文件，每个地块生成一个要素，带其表头字段；坐标系为带号所对应的CGCS2000三度带高斯-克吕格投影，Y坐标带带号前缀时用带前缀的坐标系。按圈号组成环，位于另一环内的环作为其内洞。可接受的变体：GBK、UTF-8（有无BOM）和UTF-16（按文档所述顺序尝试，日志说明所用编码）；面积带“公顷”后缀；点号不重新编号；[属性描述] 之前的其他节；13字段地块行；X/Y列互换（按整数位数判断）；全角逗号和数字、制表符、双引号和行尾空字段（给出警告）。
逐项检查并指出所在行和地块：文件不完整（界址点少于界址点数、环未闭合）；不可能存在的点（Y坐标前缀与带号不符、超出投影带或黔南州范围、距本地块其他点超过100千米）；无效的环（自相交、不足3个点、面积为0）；带号不在CGCS2000三度带25–45之内；申报面积与坐标计算面积不符；圈号顺序错误；无法解码的字节。
勾选“遇错误即停止”时，出现上述任一问题即拒绝该文件。不勾选时每项给出警告，地块导入为有效的面（用make_valid修复）或加以标记：ZT（状态）为正常、已修复、存疑或无效（无图形），SM（说明）用中文列出其问题及行号。</translation>
    </message>
    <message>
      <source>Red-line conflicts: set the red line layer</source>
      <translation>红线冲突：请设置生态保护红线图层</translation>
    </message>
    <message>
      <source>Red-line conflicts: {0} parcel(s)</source>
      <translation>红线冲突：{0} 个图斑</translation>
    </message>
    <message>
      <source>Remove row</source>
      <translation>删除行</translation>
    </message>
    <message>
      <source>Rotated DEM grids are not supported; warp the DEM to a north-up grid first (gdalwarp).</source>
      <translation>不支持旋转的 DEM 栅格；请先将 DEM 重采样为正北朝上的栅格（gdalwarp）。</translation>
    </message>
    <message>
      <source>Rule checks</source>
      <translation>规则校核</translation>
    </message>
    <message>
      <source>Rules file (JSON: county quotas, thresholds…; default: the county quotas stored in the QGIS project by the dock)</source>
      <translation>规则文件（JSON：县（市）分解任务、阈值等；默认：整治任务面板保存在 QGIS 工程中的分解任务）</translation>
    </message>
    <message>
      <source>Rules read from {0}.</source>
      <translation>已读取规则文件 {0}。</translation>
    </message>
    <message>
      <source>Run not completed: the outputs it had begun were removed: {0}</source>
      <translation>运行未完成，已删除其已开始写入的输出：{0}</translation>
    </message>
    <message>
      <source>Sample township written to {}</source>
      <translation>示例乡镇数据已写入 {}</translation>
    </message>
    <message>
      <source>Scenario</source>
      <translation>情景</translation>
    </message>
    <message>
      <source>Select parcels on the map first: nothing was changed.</source>
      <translation>请先在地图上选择图斑：未做任何修改。</translation>
    </message>
    <message>
      <source>Selecting homestead parcels</source>
      <translation>筛选宅基地图斑</translation>
    </message>
    <message>
      <source>Sliver tolerance (m²): smaller gaps and overlaps are only counted</source>
      <translation>拓扑碎片容差（平方米）：更小的缝隙和重叠只计数、不列出</translation>
    </message>
    <message>
      <source>Slope farmland by village</source>
      <translation>分村坡耕地统计</translation>
    </message>
    <message>
      <source>Slope farmland threshold (degrees)</source>
      <translation>坡耕地坡度阈值（度）</translation>
    </message>
    <message>
      <source>Slope of each homestead</source>
      <translation>计算各宅基地坡度</translation>
    </message>
    <message>
      <source>Slope of each parcel</source>
      <translation>计算各图斑坡度</translation>
    </message>
    <message>
      <source>Status values meaning not lived in (comma separated)</source>
      <translation>表示无人居住的状态值（以逗号分隔）</translation>
    </message>
    <message>
      <source>Stop on errors (malformed lines)</source>
      <translation>遇错误即停止（格式错误的行）</translation>
    </message>
    <message>
      <source>Style by land class (DLBM)</source>
      <translation>按地类（DLBM）设置样式</translation>
    </message>
    <message>
      <source>Style by task family</source>
      <translation>按任务大类设置样式</translation>
    </message>
    <message>
      <source>Style by task subtype</source>
      <translation>按任务子类设置样式</translation>
    </message>
    <message>
      <source>Summarise by</source>
      <translation>汇总单位</translation>
    </message>
    <message>
      <source>Summarise by this field instead (e.g. without ZLDWDM)</source>
      <translation>改按此字段汇总（如无 ZLDWDM 时）</translation>
    </message>
    <message>
      <source>Survey consolidation potential</source>
      <translation>整治潜力调查评估</translation>
    </message>
    <message>
      <source>Swap balance by village</source>
      <translation>分村置换平衡表</translation>
    </message>
    <message>
      <source>Swap candidates</source>
      <translation>置换候选图斑</translation>
    </message>
    <message>
      <source>TBDLMJ ≠ TBMJ − KCMJ</source>
      <translation>图斑地类面积 TBDLMJ 计算不符（≠ TBMJ − KCMJ）</translation>
    </message>
    <message>
      <source>TBMJ differs from the ellipsoidal area</source>
      <translation>图斑面积与椭球面积不符</translation>
    </message>
    <message>
      <source>TBMJ is missing for some parcels: their ellipsoidal area is used.</source>
      <translation>部分图斑缺少 TBMJ：采用其椭球面积。</translation>
    </message>
    <message>
      <source>TBMJ tolerance against the ellipsoidal area (%)</source>
      <translation>图斑面积 TBMJ 与椭球面积的容差（%）</translation>
    </message>
    <message>
      <source>TBXHDM codes of unstable farmland</source>
      <translation>不稳定耕地的 TBXHDM 编码</translation>
    </message>
    <message>
      <source>TXT encoding</source>
      <translation>TXT 编码</translation>
    </message>
    <message>
      <source>Tag parcels: {0}</source>
      <translation>标注图斑：{0}</translation>
    </message>
    <message>
      <source>Tagged parcels</source>
      <translation>已标注图斑</translation>
    </message>
    <message>
      <source>Tagging failed on layer '{0}': nothing was changed.</source>
      <translation>图层“{0}”标注失败：未做任何修改。</translation>
    </message>
    <message>
      <source>Targets: {0}</source>
      <translation>目标：{0}</translation>
    </message>
    <message>
      <source>Targets: {0}.</source>
      <translation>目标：{0}。</translation>
    </message>
    <message>
      <source>Targets: 农用地整理 亩, 建设用地整理 亩, 生态修复 亩, 和美乡村</source>
      <translation>目标：农用地整理(亩), 建设用地整理(亩), 生态修复(亩), 和美乡村(个)</translation>
    </message>
    <message>
      <source>Task-type field (default ZZLX with ZZZLX)</source>
      <translation>整治类型字段（默认 ZZLX 与 ZZZLX）</translation>
    </message>
    <message>
      <source>The CRS to assume for layers without one ({0} = {1}) is no CRS QGIS knows.</source>
      <translation>为无坐标系图层假定的坐标系（{0} = {1}）不是 QGIS 可识别的坐标系。</translation>
    </message>
    <message>
      <source>The DEM does not cover the parcels (cannot relate the DEM's CRS to the parcels' position).</source>
      <translation>DEM 未覆盖图斑（无法将 DEM 的坐标参考系与图斑位置对应）。</translation>
    </message>
    <message>
      <source>The DEM does not cover the parcels: DEM extent {0:.1f}, {1:.1f} – {2:.1f}, {3:.1f}; parcels {4:.1f}, {5:.1f} – {6:.1f}, {7:.1f} (in {8}).</source>
      <translation>DEM 未覆盖图斑：DEM 范围 {0:.1f}, {1:.1f} – {2:.1f}, {3:.1f}；图斑范围 {4:.1f}, {5:.1f} – {6:.1f}, {7:.1f}（坐标参考系 {8}）。</translation>
    </message>
    <message>
      <source>The DEM grid must be north-up (negative y pixel size).</source>
      <translation>DEM 栅格必须正北朝上（y 方向像元大小为负）。</translation>
    </message>
    <message>
      <source>The DEM has no values under the parcels: it does not cover them.</source>
      <translation>DEM 在图斑范围内无值：未覆盖图斑。</translation>
    </message>
    <message>
      <source>The DEM layer is not valid.</source>
      <translation>DEM 图层无效。</translation>
    </message>
    <message>
      <source>The DEM must be a file raster (GDAL provider); '{0}' uses the '{1}' provider.</source>
      <translation>DEM 必须为文件栅格（GDAL 数据提供者）；“{0}”使用的是“{1}”数据提供者。</translation>
    </message>
    <message>
      <source>The DEM window and its slope are computed on a worker thread while the parcels are read (fast path).</source>
      <translation>读取图斑的同时，在后台线程读取 DEM 窗口并计算坡度（快速通道）。</translation>
    </message>
    <message>
      <source>The algorithm {0} is not available: it is not registered in Processing (is the plugin's provider loaded?).</source>
      <translation>算法 {0} 不可用：未在处理工具（Processing）中注册（插件的算法提供者是否已加载？）。</translation>
    </message>
    <message>
      <source>The check to run first on a 三调 parcel layer (DLTB). It reports, per parcel and in a summary, every problem the other algorithms would meet:
the layer's CRS missing, undefined or contradicting the coordinates (zone prefix, degrees, swapped axes, outside Qiannan); NULLs in BSM, DLBM, ZLDWDM, TBMJ, KCMJ, TBDLMJ and, on farmland, KCXS and GDPDJB; DLBM codes that are no 三调 code (of the K codes only the nine that exist); duplicate BSM; TBMJ more than the tolerance away from the ellipsoidal area; KCMJ ≠ round(TBMJ × KCXS, 2) and TBDLMJ ≠ TBMJ − KCMJ; invalid geometries (with GEOS's reason and where, e.g. a self-intersection at x, y) and features without geometry; gaps between and overlaps of parcels (面无缝隙、面不重叠), those smaller than the sliver tolerance only counted.
A layer without a usable CRS is still checked: measured in the CRS its coordinates fit where a finding names it, else as metres (TBMJ against the planar area), and not measured when its coordinates are degrees. The input is never changed.
Outputs: the parcels with one flag field per check (1 = problem, 0 = none, NULL = not checked), ZJ_SL (number of problems) and ZJ_SM (every problem in Chinese); the gaps and overlaps as polygons with their area and the parcels involved; an HTML report and an .xlsx workbook in Chinese (per check the parcels, their area in 亩, the first examples and how to fix them).</source>
      <translation>拿到三调地类图斑图层（DLTB）后首先运行的检查，逐图斑并汇总报告其他算法会遇到的全部问题：
图层坐标系缺失、未定义或与坐标矛盾（带号、经纬度、X/Y 颠倒、不在黔南州范围）；BSM、DLBM、ZLDWDM、TBMJ、KCMJ、TBDLMJ 为空，耕地的 KCXS、GDPDJB 为空；DLBM 不是三调地类编码（可调整地类只有实际存在的九个）；BSM 重复；TBMJ 与椭球面积相差超过容差；KCMJ ≠ round(TBMJ × KCXS, 2)、TBDLMJ ≠ TBMJ − KCMJ；几何无效（给出 GEOS 的原因和位置，如自相交于 x, y）和无几何的要素；图斑之间的缝隙和重叠（面无缝隙、面不重叠），小于碎片容差的只计数。
没有可用坐标系的图层照样检查：有问题说明指出与坐标相符的坐标系时按该坐标系量算，否则按米量算（TBMJ 与平面面积比较），坐标为经纬度时不量算。输入图层不会被修改。
输出：图斑（每项检查一个标记字段：1 = 有问题，0 = 无问题，空 = 未检查；ZJ_SL 问题个数，ZJ_SM 全部问题的中文说明）；缝隙和重叠面（面积、涉及的图斑）；中文 HTML 报告和 xlsx 工作簿（每项检查的图斑数、面积（亩）、前几个示例和处理办法）。</translation>
    </message>
    <message>
      <source>The command it runs:</source>
      <translation>它运行的命令：</translation>
    </message>
    <message>
      <source>The first step of a consolidation project: finds every parcel's consolidation potential (QL_LX, one or more types separated by ';'), its family (农用地整理 / 建设用地整理 / 生态保护修复), its area (QL_MJ m², QL_MU 亩) and the new farmland it brings (XZGD_MJ m², negative where farmland leaves).
Types: 田坎归并 (terraced farmland whose KCXS is above the target of its slope grade: TBMJ × (KCXS − target)); 宜耕后备资源开发 (0404, 1204–1207 and village 1201, mean slope ≤ 25°, outside the red line and the urban boundary: TBMJ × 0.85); 旱改水 (0103 of slope grade ≤ 2); 林耕置换 in and out and 坡耕地退出 (as 'Forest–farmland swap candidates' and 'Flag slope farmland' decide them); 宅基地复垦 (idle homesteads as 'Flag idle homesteads' decides them, TBMJ × 0.9 when reclaimable to farmland); 工矿废弃地复垦 and 矿山生态修复 (0602 with 废弃 in BZ or listed by BSM); 石漠化治理; 水土流失治理 (farmland &gt; 25°). Every threshold comes from the plugin's rules.
Types whose inputs are missing (DEM, red line, buildings and household survey) are skipped, and the report says which and why.
Summaries per village, township or county (ZLDWDM, or a chosen field): potential in 亩 by family and type, new farmland, original farmland, PBF, construction land before and after, progress against the quota of the area's county or township (the county quota table: the RULES file, else the one the dock stores in the QGIS project; TARGETS left at the prefecture's 2030 targets 73,500 / 2,300 / 3,500 亩 and 12 villages means the quota; enter four numbers of your own instead). Rule checks per township and in total: new farmland ≥ 5 % of the original farmland, construction land does not increase, no new farmland above 25° or inside the red line, PBF moved out ≤ 5 % and replaced ≥ 105 %. Writes an Excel workbook and a self-contained HTML report in Chinese with charts, a map and the farmland contiguity before and after.</source>
      <translation>全域土地综合整治项目的第一步：查明每个图斑的整治潜力（QL_LX，一种或多种类型，以 ';' 分隔）、所属大类（农用地整理 / 建设用地整理 / 生态保护修复）、面积（QL_MJ m²，QL_MU 亩）及可带来的新增耕地（XZGD_MJ m²，耕地退出时为负值）。
潜力类型：田坎归并（KCXS 高于其坡度级别目标值的梯田耕地：TBMJ × (KCXS − 目标值)）；宜耕后备资源开发（0404、1204–1207 及村庄内 1201，平均坡度 ≤ 25°，位于生态保护红线和城镇开发边界外：TBMJ × 0.85）；旱改水（坡度级别 ≤ 2 的 0103）；林耕置换置入与置出、坡耕地退出（按“林耕置换候选”和“坡耕地识别”的判定）；宅基地复垦（按“闲置宅基地识别”判定的闲置宅基地，可复垦为耕地时为 TBMJ × 0.9）；工矿废弃地复垦和矿山生态修复（BZ 含“废弃”或按 BSM 列出的 0602）；石漠化治理；水土流失治理（坡度 &gt; 25° 的耕地）。所有阈值均取自插件规则。
缺少所需输入（DEM、生态保护红线、建筑物及农户调查表）的潜力类型将被跳过，报告中会说明跳过了哪些类型及原因。
按村、乡镇或县（ZLDWDM，或指定字段）汇总：按大类和类型统计的潜力面积（亩）、新增耕地、原有耕地、永久基本农田、整治前后建设用地、对照所在县（市）或乡镇分解任务的目标完成进度（分解任务表：RULES 规则文件，否则为整治任务面板保存在 QGIS 工程中的分解表；TARGETS 保持全州 2030 年目标 73,500 / 2,300 / 3,500 亩和 12 个和美乡村时按分解任务计算；也可自行输入四个数值）。按乡镇及合计进行规则校核：新增耕地 ≥ 原有耕地的 5 %，建设用地不增加，25° 以上及生态保护红线内无新增耕地，永久基本农田调出 ≤ 5 % 且补划 ≥ 105 %。输出 Excel 工作簿，以及一份含图表、地图和整治前后耕地集中连片度的独立中文 HTML 报告。</translation>
    </message>
    <message>
      <source>The homestead expression uses field(s) {0} that layer '{1}' does not have.</source>
      <translation>宅基地表达式使用了图层“{1}”中不存在的字段 {0}。</translation>
    </message>
    <message>
      <source>The homestead 宗地 layer '{0}' has no ZDDM field: choose its 宗地 code field (ZDDM_FIELD).</source>
      <translation>宅基地宗地图层“{0}”没有 ZDDM 字段：请选择宗地代码字段（ZDDM_FIELD）。</translation>
    </message>
    <message>
      <source>The homestead 宗地 layer has no ZDDM field: choose its 宗地 code field (ZDDM_FIELD).</source>
      <translation>宅基地宗地图层没有 ZDDM 字段：请选择宗地代码字段（ZDDM_FIELD）。</translation>
    </message>
    <message>
      <source>The household table '{0}' needs a key field (HOUSEHOLD_KEY) joined to a key field of layer '{1}' (PARCEL_KEY).</source>
      <translation>农户调查表“{0}”须有关联字段（HOUSEHOLD_KEY），并与图层“{1}”的关联字段（PARCEL_KEY）对应。</translation>
    </message>
    <message>
      <source>The household table '{0}' needs a key field joined to the parcels (HOUSEHOLD_KEY).</source>
      <translation>农户调查表“{0}”须有与图斑关联的字段（HOUSEHOLD_KEY）。</translation>
    </message>
    <message>
      <source>The input layer changed while the algorithm ran ({0} features, then {1}).</source>
      <translation>算法运行期间输入图层发生了变化（原为 {0} 个要素，后为 {1} 个）。</translation>
    </message>
    <message>
      <source>The installation failed: see pip's messages above. You can copy the command and run it yourself.</source>
      <translation>安装失败：请查看上方 pip 的输出。也可以复制命令后自行运行。</translation>
    </message>
    <message>
      <source>The land consolidation plugin needs these Python packages, which this QGIS does not have:</source>
      <translation>全域土地综合整治插件需要以下 Python 包，当前 QGIS 中没有：</translation>
    </message>
    <message>
      <source>The layer '{0}' given as the {1} is the parcel layer itself: choose the {1} layer, or leave it empty.</source>
      <translation>作为“{1}”的图层“{0}”就是图斑图层本身：请选择{1}图层，或留空。</translation>
    </message>
    <message>
      <source>The layer's CRS {crs} is not a CGCS2000 3° zone: project {project} is transformed to zone {zone} of its centre ({target}).</source>
      <translation>图层坐标系 {crs} 不是 CGCS2000 3 度带，项目 {project} 按其中心所在的 {zone} 带（{target}）转换写出。</translation>
    </message>
    <message>
      <source>The output folder is not writable: {0} ({1})</source>
      <translation>输出文件夹不可写：{0}（{1}）</translation>
    </message>
    <message>
      <source>The parcel layer '{0}' has no features.</source>
      <translation>图斑图层“{0}”没有要素。</translation>
    </message>
    <message>
      <source>The parcel layer cannot also be the {0} layer: that role is left empty.</source>
      <translation>图斑图层不能同时作为“{0}”图层：该项已置空。</translation>
    </message>
    <message>
      <source>The parcels have no ZLDWDM field and no summary field was chosen: only a total is given.</source>
      <translation>图斑没有 ZLDWDM 字段且未指定汇总字段：仅给出合计。</translation>
    </message>
    <message>
      <source>The parcels have no farmland type GDLX: terrace merging considered all farmland.</source>
      <translation>图斑无耕地类型 GDLX 字段：田坎归并按全部耕地判定。</translation>
    </message>
    <message>
      <source>The parcels have no geometry.</source>
      <translation>图斑没有几何。</translation>
    </message>
    <message>
      <source>The parcels have no land-use code field DLBM: only planned work decides the levels.</source>
      <translation>图斑没有地类编码字段 DLBM：仅按规划的整治工程判定等级。</translation>
    </message>
    <message>
      <source>The parcels reach beyond their layer's recorded extent: the DEM is read again over their real extent.</source>
      <translation>图斑超出了其图层记录的范围：已按图斑的实际范围重新读取 DEM。</translation>
    </message>
    <message>
      <source>The plugin needs Python packages that this QGIS does not have: {0}.</source>
      <translation>插件需要的 Python 包在当前 QGIS 中缺失：{0}。</translation>
    </message>
    <message>
      <source>The slope of the land moving in is needed: give a DEM, or parcels with a PD_MEAN field (the output of 'Flag slope farmland'); layer '{0}' has none.</source>
      <translation>需要调入地块的坡度：请提供 DEM，或使用带 PD_MEAN 字段的图斑（“坡耕地识别”的输出）；图层“{0}”没有该字段。</translation>
    </message>
    <message>
      <source>This algorithm needs Python packages that this QGIS does not have: {0}. Install them from the menu Plugins ▸ Land Consolidation ▸ Install Python packages…, then restart QGIS.</source>
      <translation>本算法需要的 Python 包在当前 QGIS 中缺失：{0}。请通过菜单“插件 ▸ 全域土地综合整治 ▸ 安装 Python 包…”安装，然后重启 QGIS。</translation>
    </message>
    <message>
      <source>This algorithm needs {0}: choose the parcel layer as input.</source>
      <translation>本算法需要 {0}：请选择地类图斑图层作为输入。</translation>
    </message>
    <message>
      <source>To do it by hand, run this command in a terminal:</source>
      <translation>如需手动安装，请在终端中运行以下命令：</translation>
    </message>
    <message>
      <source>To do it by hand, run this command in the OSGeo4W Shell (Start menu ▸ QGIS ▸ OSGeo4W Shell):</source>
      <translation>如需手动安装，请在 OSGeo4W Shell（开始菜单 ▸ QGIS ▸ OSGeo4W Shell）中运行以下命令：</translation>
    </message>
    <message>
      <source>Tools</source>
      <translation>工具</translation>
    </message>
    <message>
      <source>Topology problems (gaps, overlaps)</source>
      <translation>拓扑问题（缝隙、重叠）</translation>
    </message>
    <message>
      <source>Topology: {0} gap(s) of {1:.4f} m² in all, {2} overlap(s) of {3:.4f} m² in all; {4} sliver(s) under {5:g} m² ({6:.6f} m²) only counted.</source>
      <translation>拓扑：缝隙 {0} 处，合计 {1:.4f} 平方米；重叠 {2} 处，合计 {3:.4f} 平方米；另有 {4} 处小于 {5:g} 平方米的碎片（{6:.6f} 平方米）只计数。</translation>
    </message>
    <message>
      <source>Township</source>
      <translation>乡镇</translation>
    </message>
    <message>
      <source>Township GeoPackage</source>
      <translation>乡镇 GeoPackage</translation>
    </message>
    <message>
      <source>Unknown task codes (not counted): {0}.</source>
      <translation>未知整治任务编码（未计入）：{0}。</translation>
    </message>
    <message>
      <source>Urban development boundary</source>
      <translation>城镇开发边界</translation>
    </message>
    <message>
      <source>Verdict from {0}: {1} farmland parcel(s).</source>
      <translation>依据 {0} 判定：{1} 个耕地图斑。</translation>
    </message>
    <message>
      <source>Village</source>
      <translation>村</translation>
    </message>
    <message>
      <source>Village field of the parcels (default: first 12 digits of ZLDWDM)</source>
      <translation>图斑的村字段（默认：ZLDWDM 前 12 位）</translation>
    </message>
    <message>
      <source>Village hollowing ranking</source>
      <translation>村庄空心化排名</translation>
    </message>
    <message>
      <source>Village polygons (instead of a village field)</source>
      <translation>村界面图层（代替村字段）</translation>
    </message>
    <message>
      <source>Village polygons: code field</source>
      <translation>村界面图层：代码字段</translation>
    </message>
    <message>
      <source>Village polygons: name field</source>
      <translation>村界面图层：名称字段</translation>
    </message>
    <message>
      <source>Villages</source>
      <translation>村界图层</translation>
    </message>
    <message>
      <source>Without a DEM value, use the recorded GDPDJB</source>
      <translation>无 DEM 值时使用记录的 GDPDJB</translation>
    </message>
    <message>
      <source>Without internet: download the packages on another computer with &lt;code&gt;pip download&lt;/code&gt; and add &lt;code&gt;--no-index --find-links &amp;lt;folder&amp;gt;&lt;/code&gt; to the command.</source>
      <translation>没有网络时：在另一台电脑上用 &lt;code&gt;pip download&lt;/code&gt; 下载这些包，拷贝过来后在命令中加上 &lt;code&gt;--no-index --find-links &amp;lt;文件夹&amp;gt;&lt;/code&gt;。</translation>
    </message>
    <message>
      <source>Writes a realistic, deterministic sample township of a Qiannan county: township.gpkg (三调 DLTB parcels, ecological red line, permanent basic farmland, urban development boundary, villages, building footprints; EPSG:4545), a 10 m karst DEM (dem.tif) and a household survey table (households.csv). One seed and one number of parcels give identical files under one GEOS release, through qgis_process and python -m qn_landconsol_plugin.sampledata alike; another GEOS release can change some geometry (road and ditch outlines, control lines), and with it the attributes drawn after it: alike in their figures, not equal in their bytes.</source>
      <translation>生成一个贴近实际、结果可复现的黔南某县示例乡镇数据：township.gpkg（三调 DLTB 图斑、生态保护红线、永久基本农田、城镇开发边界、村界、建筑物基底面；EPSG:4545）、10 米分辨率喀斯特地貌 DEM（dem.tif）以及农户调查表（households.csv）。在同一 GEOS 版本下，相同的随机种子和图斑数量生成完全相同的文件，无论通过 qgis_process 还是 python -m qn_landconsol_plugin.sampledata 运行；换用其他 GEOS 版本可能改变部分几何（道路、沟渠轮廓，管控线），进而改变其后生成的属性：各项统计数字相近，但文件并非逐字节相同。</translation>
    </message>
    <message>
      <source>Writing parcels</source>
      <translation>写出图斑</translation>
    </message>
    <message>
      <source>Writing parcels…</source>
      <translation>写出图斑…</translation>
    </message>
    <message>
      <source>Writing the report</source>
      <translation>写出报告</translation>
    </message>
    <message>
      <source>Writing the report…</source>
      <translation>写出报告…</translation>
    </message>
    <message>
      <source>Writing the workbook</source>
      <translation>写出工作簿</translation>
    </message>
    <message>
      <source>Writing the workbook…</source>
      <translation>正在写出工作簿…</translation>
    </message>
    <message>
      <source>X and Y swapped on this line only (X has {x_digits} digits, Y {y_digits})</source>
      <translation>仅此行X、Y互换（X为{x_digits}位，Y为{y_digits}位）</translation>
    </message>
    <message>
      <source>X/Y columns are swapped (Y has the northing's 7 digits); read as X=northing, Y=easting</source>
      <translation>X/Y 两列互换（Y 列为 7 位的纵坐标），已按 X=纵坐标、Y=横坐标读取。</translation>
    </message>
    <message>
      <source>Your own target (mu). Left at the prefecture's 2030 target, progress is measured against the quota of the project's county or township (the county quota table below)</source>
      <translation>自定目标（亩）。保持黔南州 2030 年目标不变时，按项目所在县（市）或乡镇的分解任务计算完成度（见下方分解任务表）。</translation>
    </message>
    <message>
      <source>a second [{section}] section (two files joined?)</source>
      <translation>第二个[{section}]节（是否拼接了两个文件？）</translation>
    </message>
    <message>
      <source>all parcels of the layer</source>
      <translation>图层全部图斑</translation>
    </message>
    <message>
      <source>before {before:,.2f} mu, reclaimed {reclaimed:,.2f} mu, new construction {new:,.2f} mu, after {after:,.2f} mu (change {change:+,.2f} mu)</source>
      <translation>整治前 {before:,.2f} 亩，复垦减少 {reclaimed:,.2f} 亩，新增建设 {new:,.2f} 亩，整治后 {after:,.2f} 亩（变化 {change:+,.2f} 亩）</translation>
    </message>
    <message>
      <source>bytes that are not {encoding} replaced by �</source>
      <translation>含有非{encoding}字节，已替换为�</translation>
    </message>
    <message>
      <source>closed on read</source>
      <translation>已按首点闭合</translation>
    </message>
    <message>
      <source>control characters in the line: {text}</source>
      <translation>该行含控制字符：{text}</translation>
    </message>
    <message>
      <source>declaration,export,boundary,TXT,coordinates,map,PDF,statistics,申报,报部格式,项目区范围图</source>
      <translation>申报,导出,项目区范围,TXT,坐标,范围图,PDF,统计表,申报成果,报部格式,项目区范围图</translation>
    </message>
    <message>
      <source>declaration,import,TXT,coordinates,boundary,报部格式,界址点</source>
      <translation>申报,导入,TXT,坐标,项目区范围,报部格式,界址点</translation>
    </message>
    <message>
      <source>empty fields after Y ignored (saved from a spreadsheet? first at this line)</source>
      <translation>Y之后的空字段已忽略（是否由电子表格保存？首见于此行）</translation>
    </message>
    <message>
      <source>every land class</source>
      <translation>全部地类</translation>
    </message>
    <message>
      <source>failed</source>
      <translation>不通过</translation>
    </message>
    <message>
      <source>fields in double quotes (read; saved from a spreadsheet? first at this line)</source>
      <translation>字段带双引号（已读取；是否由电子表格保存？首见于此行）</translation>
    </message>
    <message>
      <source>fields separated by tabs instead of commas (read; first at this line)</source>
      <translation>字段以制表符而非逗号分隔（已读取；首见于此行）</translation>
    </message>
    <message>
      <source>found {0}</source>
      <translation>已有 {0}</translation>
    </message>
    <message>
      <source>full-width characters (，０-９．－) read as ASCII; the format asks for ASCII (first at this line)</source>
      <translation>全角字符（，０-９．－）已按半角读取；格式要求半角（首见于此行）</translation>
    </message>
    <message>
      <source>kept as read, flagged in ZT/SM</source>
      <translation>按原样导入，已在ZT/SM字段标记</translation>
    </message>
    <message>
      <source>key and value separated by '{sep}' instead of '=' (read; first at this line)</source>
      <translation>键与值之间用“{sep}”而不是“=”分隔（已读取；首见于此行）</translation>
    </message>
    <message>
      <source>layer</source>
      <translation>图层</translation>
    </message>
    <message>
      <source>line ignored</source>
      <translation>该行已忽略</translation>
    </message>
    <message>
      <source>line {0}: {1}</source>
      <translation>第 {0} 行：{1}</translation>
    </message>
    <message>
      <source>mu</source>
      <translation>亩</translation>
    </message>
    <message>
      <source>neither valid UTF-8 nor valid GBK: read as {encoding}, which leaves fewer lines undecodable ({bad})</source>
      <translation>既不符合UTF-8也不符合GBK：按{encoding}读取，无法解码的行较少（{bad}行）</translation>
    </message>
    <message>
      <source>net new farmland {net:,.2f} mu (added {added:,.2f} mu, removed {removed:,.2f} mu), original farmland {original:,.2f} mu</source>
      <translation>净增耕地 {net:,.2f} 亩（新增 {added:,.2f} 亩，减少 {removed:,.2f} 亩），原有耕地 {original:,.2f} 亩</translation>
    </message>
    <message>
      <source>new farmland outside permanent basic farmland available {supply:,.2f} mu, needed {need:,.2f} mu</source>
      <translation>可补划新增耕地（永久基本农田外）{supply:,.2f} 亩，需补划 {need:,.2f} 亩</translation>
    </message>
    <message>
      <source>no DEM and no slope grade GDPDJB on the parcels</source>
      <translation>未提供 DEM，且图斑无耕地坡度级别 GDPDJB</translation>
    </message>
    <message>
      <source>no DEM: the slope of non-farmland parcels is unknown</source>
      <translation>未提供 DEM，无法计算非耕地图斑的坡度</translation>
    </message>
    <message>
      <source>no [地块坐标] section: the file ends at line {last}</source>
      <translation>缺少[地块坐标]节：文件在第{last}行结束</translation>
    </message>
    <message>
      <source>no [属性描述] section</source>
      <translation>缺少 [属性描述] 节。</translation>
    </message>
    <message>
      <source>no building footprints and no household survey: idle homesteads cannot be judged</source>
      <translation>未提供建筑物轮廓和农户调查表，无法判定宅基地是否闲置</translation>
    </message>
    <message>
      <source>no ecological red line given</source>
      <translation>未提供生态保护红线</translation>
    </message>
    <message>
      <source>no ecological red line: parcels inside it cannot be excluded</source>
      <translation>未提供生态保护红线，无法排除红线内图斑</translation>
    </message>
    <message>
      <source>no land class</source>
      <translation>无地类</translation>
    </message>
    <message>
      <source>no permanent basic farmland given</source>
      <translation>未提供永久基本农田</translation>
    </message>
    <message>
      <source>no permanent basic farmland moved out</source>
      <translation>无永久基本农田调出</translation>
    </message>
    <message>
      <source>no usable 带号 and the Y coordinates carry no zone prefix: the CRS cannot be known</source>
      <translation>没有可用的带号，Y坐标也不带带号前缀：无法确定坐标系</translation>
    </message>
    <message>
      <source>no 地块 in [地块坐标]</source>
      <translation>[地块坐标] 中没有地块。</translation>
    </message>
    <message>
      <source>not a key=value line: {text}</source>
      <translation>不是“键=值”行：{text}</translation>
    </message>
    <message>
      <source>not a text file in UTF-8, GBK or UTF-16: {bad} of {lines} lines cannot be decoded</source>
      <translation>不是UTF-8、GBK或UTF-16文本：{lines}行中有{bad}行无法解码</translation>
    </message>
    <message>
      <source>not a text file: control byte {byte} at byte {offset} (a binary file, e.g. a spreadsheet or an image?)</source>
      <translation>不是文本文件：第{offset}字节为控制字符{byte}（可能是表格或图片等二进制文件）</translation>
    </message>
    <message>
      <source>not checked</source>
      <translation>未检查</translation>
    </message>
    <message>
      <source>not installed</source>
      <translation>未安装</translation>
    </message>
    <message>
      <source>parcels</source>
      <translation>图斑</translation>
    </message>
    <message>
      <source>passed</source>
      <translation>通过</translation>
    </message>
    <message>
      <source>permanent basic farmland among the farmland leaving {moved_out:,.2f} mu, permanent basic farmland {pbf:,.2f} mu</source>
      <translation>退出耕地中的永久基本农田 {moved_out:,.2f} 亩，永久基本农田 {pbf:,.2f} 亩</translation>
    </message>
    <message>
      <source>point line before any 地块 line</source>
      <translation>界址点行出现在任何地块行之前。</translation>
    </message>
    <message>
      <source>point line needs 4 fields (点号,圈号,X,Y), has {n}: {text}</source>
      <translation>界址点行应有4个字段（点号,圈号,X,Y），此行{n}个：{text}</translation>
    </message>
    <message>
      <source>polygon repaired (make_valid)</source>
      <translation>图形已修复（make_valid）</translation>
    </message>
    <message>
      <source>potential,survey,targets,new farmland,workbook,report,潜力,整治潜力</source>
      <translation>潜力,调查,目标,新增耕地,工作簿,报告,整治潜力,潜力调查</translation>
    </message>
    <message>
      <source>quality,check,topology,gap,overlap,invalid,NULL,duplicate,BSM,TBMJ,CRS,质检,图斑,拓扑,面不重叠,面无缝隙</source>
      <translation>质检,检查,拓扑,缝隙,重叠,无效几何,空值,重复,标识码,图斑面积,坐标系,质检,图斑,拓扑,面不重叠,面无缝隙</translation>
    </message>
    <message>
      <source>read as GBK/GB18030 (the bytes are not valid UTF-8)</source>
      <translation>按GBK/GB18030读取（字节不符合UTF-8）</translation>
    </message>
    <message>
      <source>read as UTF-16 without byte order mark ({order}, from its NUL bytes)</source>
      <translation>按无字节顺序标记的UTF-16读取（{order}，据空字节判断）</translation>
    </message>
    <message>
      <source>read as UTF-8 (the bytes are valid UTF-8, not GBK)</source>
      <translation>按UTF-8读取（字节符合UTF-8，不符合GBK）</translation>
    </message>
    <message>
      <source>read as {encoding} (byte order mark)</source>
      <translation>按{encoding}读取（字节顺序标记）</translation>
    </message>
    <message>
      <source>read with X and Y swapped back</source>
      <translation>已交换回X、Y</translation>
    </message>
    <message>
      <source>red line,ecological,PBF,permanent basic farmland,urban development boundary,overlap,conflict,三区三线,生态保护红线</source>
      <translation>红线,生态,基本农田,永久基本农田,城镇开发边界,叠加,冲突,三区三线,生态保护红线</translation>
    </message>
    <message>
      <source>replaced by �</source>
      <translation>已替换为�</translation>
    </message>
    <message>
      <source>ring left out</source>
      <translation>该圈已舍去</translation>
    </message>
    <message>
      <source>ring {ring} of 地块 '{block}' crosses itself (a bow-tie): the edges from points {points} (lines {lines}) meet at X={x:.4f}, Y={y:.4f}</source>
      <translation>地块“{block}”第{ring}圈自相交（“8”字形）：从{points}（第{lines}行）起的边交于X={x:.4f}，Y={y:.4f}</translation>
    </message>
    <message>
      <source>ring {ring} of 地块 '{block}' encloses no area (its points lie on a line)</source>
      <translation>地块“{block}”第{ring}圈面积为0（各点共线）</translation>
    </message>
    <message>
      <source>ring {ring} of 地块 '{block}' has fewer than 3 distinct points</source>
      <translation>地块“{block}”的第 {ring} 圈不同的点少于 3 个。</translation>
    </message>
    <message>
      <source>ring {ring} of 地块 '{block}' is not closed (its first point is not repeated; lines {first}–{last})</source>
      <translation>地块“{block}”第{ring}圈未闭合（首点未重复；第{first}–{last}行）</translation>
    </message>
    <message>
      <source>rings of 地块 '{block}' cross or overlap each other: the edges from points {points} (lines {lines}) meet at X={x:.4f}, Y={y:.4f}</source>
      <translation>地块“{block}”的各圈相互交叉或重叠：从{points}（第{lines}行）起的边交于X={x:.4f}，Y={y:.4f}</translation>
    </message>
    <message>
      <source>text before the first section ignored</source>
      <translation>第一个节之前的文字已忽略。</translation>
    </message>
    <message>
      <source>the DEM's slope is computed after the parcels are read</source>
      <translation>读取图斑之后再计算 DEM 坡度</translation>
    </message>
    <message>
      <source>the UTF-16 file has an odd number of bytes: its last byte (half a character) is ignored; is the file cut off?</source>
      <translation>UTF-16文件字节数为奇数：末尾半个字符已忽略，文件是否不完整？</translation>
    </message>
    <message>
      <source>the bytes are valid UTF-8 and valid GBK and the section names do not tell: read as UTF-8, the first of the order</source>
      <translation>字节同时符合UTF-8和GBK，节名无法区分：按顺序中的第一种UTF-8读取</translation>
    </message>
    <message>
      <source>the bytes are valid UTF-8 and valid GBK: read as {encoding}, in which the section names read correctly</source>
      <translation>字节同时符合UTF-8和GBK：按{encoding}读取，其节名可正确读出</translation>
    </message>
    <message>
      <source>the file ends inside 地块 '{block}' ({found} of {stated} points): is it cut off?</source>
      <translation>文件在地块“{block}”中间结束（界址点{found}/{stated}）：文件是否不完整？</translation>
    </message>
    <message>
      <source>the file ends with {n} NUL byte(s) (damaged or cut off?); ignored</source>
      <translation>文件末尾有{n}个空字节（文件是否损坏或不完整？），已忽略</translation>
    </message>
    <message>
      <source>the file is empty</source>
      <translation>文件为空</translation>
    </message>
    <message>
      <source>the holes of 地块 '{block}' cut its interior in pieces at X={x:.4f}, Y={y:.4f} (points {points}, lines {lines})</source>
      <translation>地块“{block}”的内圈把地块分割成不连通的几部分，位置X={x:.4f}，Y={y:.4f}（{points}，第{lines}行）</translation>
    </message>
    <message>
      <source>the parcels are written through the QGIS sink</source>
      <translation>图斑经 QGIS 输出接口写出</translation>
    </message>
    <message>
      <source>the parcels have no deduction coefficient KCXS</source>
      <translation>图斑无扣除地类系数 KCXS 字段</translation>
    </message>
    <message>
      <source>the rings of 地块 '{block}' are not a valid polygon ({reason}) at X={x:.4f}, Y={y:.4f} (points {points}, lines {lines})</source>
      <translation>地块“{block}”的各圈不能构成有效的面（{reason}），位置X={x:.4f}，Y={y:.4f}（{points}，第{lines}行）</translation>
    </message>
    <message>
      <source>the 地块 gets no geometry (ZT 无效)</source>
      <translation>该地块不生成图形（ZT为无效）</translation>
    </message>
    <message>
      <source>township(s) {0}</source>
      <translation>乡镇 {0}</translation>
    </message>
    <message>
      <source>unknown section [{section}] ignored</source>
      <translation>未知的节 [{section}] 已忽略。</translation>
    </message>
    <message>
      <source>zone {zone} taken from the prefix of the Y coordinates (no usable 带号)</source>
      <translation>没有可用的带号：按Y坐标前缀取第{zone}带</translation>
    </message>
    <message>
      <source>{0:,} parcels, {1:,.2f} mu tagged; estimated new farmland {2:,.2f} mu (reading the farmland of the project area…).</source>
      <translation>已标注 {0:,} 个图斑、{1:,.2f} 亩；预计新增耕地 {2:,.2f} 亩（正在读取项目区耕地……）。</translation>
    </message>
    <message>
      <source>{0:,} parcels, {1:,.2f} mu tagged; estimated new farmland {2:,.2f} mu ({3:.1%} of the project area's {4:,.2f} mu of farmland, at least {5:.0%} required).</source>
      <translation>已标注 {0:,} 个图斑、{1:,.2f} 亩；预计新增耕地 {2:,.2f} 亩，占项目区现状耕地 {4:,.2f} 亩的 {3:.1%}（要求不低于 {5:.0%}）。</translation>
    </message>
    <message>
      <source>{0:,} parcels, {1:,.2f} mu tagged; estimated new farmland {2:,.2f} mu.</source>
      <translation>已标注 {0:,} 个图斑、{1:,.2f} 亩；预计新增耕地 {2:,.2f} 亩。</translation>
    </message>
    <message>
      <source>{0} (needs Python packages)</source>
      <translation>{0}（缺少 Python 包）</translation>
    </message>
    <message>
      <source>{0} ({1})</source>
      <translation>{0}（{1}）</translation>
    </message>
    <message>
      <source>{0} - {1}</source>
      <translation>{0} - {1}</translation>
    </message>
    <message>
      <source>{0} are read through QGIS</source>
      <translation>{0}经 QGIS 读取</translation>
    </message>
    <message>
      <source>{0} building footprints read ({1} repaired).</source>
      <translation>已读取 {0} 个建筑物基底面（修复 {1} 个）。</translation>
    </message>
    <message>
      <source>{0} error(s) in {1}: {2}</source>
      <translation>{1} 中有 {0} 处错误：{2}</translation>
    </message>
    <message>
      <source>{0} farmland parcel(s) have a computed slope grade two or more grades away from the recorded GDPDJB:</source>
      <translation>{0} 个耕地图斑的计算坡度级别与记录的 GDPDJB 相差两级及以上：</translation>
    </message>
    <message>
      <source>{0} garden/forest/0404 parcel(s): {1} steeper than {2:g}°, {3} without slope, {4} in the red line, {5} farther than {6:g} m from farmland or a village.</source>
      <translation>园地/林地/0404 图斑 {0} 个：坡度大于 {2:g}° 的 {1} 个，无坡度的 {3} 个，位于生态保护红线内的 {4} 个，距耕地或村庄超过 {6:g} 米的 {5} 个。</translation>
    </message>
    <message>
      <source>{0} has no field {1}; not used.</source>
      <translation>图层“{0}”没有字段 {1}，不使用。</translation>
    </message>
    <message>
      <source>{0} homestead parcels (图斑, not households: counts and rates are per 图斑), {1} idle ({2:.2f} mu).</source>
      <translation>宅基地图斑 {0} 个（图斑不是户：数量和比率按图斑计），其中闲置 {1} 个（{2:.2f} 亩）。</translation>
    </message>
    <message>
      <source>{0} homestead 宗地 in {1} homestead parcel(s): idle homesteads are judged and counted per 宗地.</source>
      <translation>{1} 个宅基地图斑内共有宅基地宗地 {0} 宗：按宗判定和统计闲置宅基地。</translation>
    </message>
    <message>
      <source>{0} homestead 宗地, {1} idle ({2:.2f} mu).</source>
      <translation>宅基地 {0} 宗，其中闲置 {1} 宗（{2:.2f} 亩）。</translation>
    </message>
    <message>
      <source>{0} household rows read.</source>
      <translation>已读取 {0} 条农户记录。</translation>
    </message>
    <message>
      <source>{0} is in a geographic CRS ({1}); areas are computed in {2} ({3}).</source>
      <translation>{0} 为地理坐标参考系（{1}）；面积在 {2}（{3}）下计算。</translation>
    </message>
    <message>
      <source>{0} must be polygons; the layer has {1} geometries. Use footprint polygons, not building points or outlines.</source>
      <translation>{0}必须为面图层；该图层的几何类型为 {1}。请使用建筑物基底面，而非建筑物点或轮廓线。</translation>
    </message>
    <message>
      <source>{0} of the {1} parcels already carry another task or project: {2}. Overwrite them?</source>
      <translation>{1} 个图斑中有 {0} 个已标注其他任务或属于其他项目：{2}。是否覆盖？</translation>
    </message>
    <message>
      <source>{0} of the {1} parcels are land that {2} does not apply to: {3}. Tag them too?</source>
      <translation>{1} 个图斑中有 {0} 个的地类不适用于“{2}”：{3}。是否也标注？</translation>
    </message>
    <message>
      <source>{0} of {1} household rows match no homestead parcel (key {2}), e.g. {3}.</source>
      <translation>{1} 条农户记录中有 {0} 条未匹配到宅基地图斑（关联字段 {2}），例如 {3}。</translation>
    </message>
    <message>
      <source>{0} of {1} household rows match no homestead 宗地 (key {2} against ZDDM), e.g. {3}.</source>
      <translation>{1} 行农户调查记录中有 {0} 行未关联到宅基地宗地（{2} 对应 ZDDM），例如 {3}。</translation>
    </message>
    <message>
      <source>{0} of {1} household rows reach a parcel through their 宗地 ({2} 宗地 read).</source>
      <translation>{1} 行农户调查记录中有 {0} 行经宗地关联到图斑（读取宗地 {2} 宗）。</translation>
    </message>
    <message>
      <source>{0} of {1} parcels have a DEM slope ({2} small parcel(s) by area-weighted cells).</source>
      <translation>{1} 个图斑中有 {0} 个获得 DEM 坡度（其中 {2} 个小图斑按面积加权像元计算）。</translation>
    </message>
    <message>
      <source>{0} of {1} parcels have problems.</source>
      <translation>{1} 个图斑中 {0} 个有问题。</translation>
    </message>
    <message>
      <source>{0} of {1} 宗地 lie in no homestead parcel (the expression's): left out.</source>
      <translation>{1} 宗宗地中有 {0} 宗不在任何宅基地图斑（表达式所选）内，未计入。</translation>
    </message>
    <message>
      <source>{0} parcel(s) cleared.</source>
      <translation>已清除 {0} 个图斑的标注。</translation>
    </message>
    <message>
      <source>{0} parcel(s) have no DEM value (outside the DEM or on nodata){1}.</source>
      <translation>{0} 个图斑无 DEM 值（位于 DEM 范围外或 NoData 处）{1}。</translation>
    </message>
    <message>
      <source>{0} parcel(s) have no DEM value.</source>
      <translation>{0} 个图斑无 DEM 值。</translation>
    </message>
    <message>
      <source>{0} parcel(s) kept their task.</source>
      <translation>{0} 个图斑保留原有任务。</translation>
    </message>
    <message>
      <source>{0} parcel(s) skipped: the task does not apply to their land class.</source>
      <translation>跳过 {0} 个图斑：任务不适用于其地类。</translation>
    </message>
    <message>
      <source>{0} parcel(s) tagged: {1}.</source>
      <translation>已标注 {0} 个图斑：{1}。</translation>
    </message>
    <message>
      <source>{0} parcels copied with their new fields straight from the input GeoPackage into {1} (feature ids kept).</source>
      <translation>已将 {0} 个图斑连同新增字段从输入 GeoPackage 直接复制到 {1}（保留要素编号）。</translation>
    </message>
    <message>
      <source>{0} parcels read ({1} invalid polygon(s) repaired, none dropped).</source>
      <translation>已读取 {0} 个图斑（修复无效面 {1} 个，未删除任何图斑）。</translation>
    </message>
    <message>
      <source>{0} parcels read ({1} invalid repaired).</source>
      <translation>已读取 {0} 个图斑（修复无效面 {1} 个）。</translation>
    </message>
    <message>
      <source>{0} project boundary</source>
      <translation>{0} 项目区范围</translation>
    </message>
    <message>
      <source>{0} project(s) exported, {1} not exported, into {2}</source>
      <translation>已导出 {0} 个项目，{1} 个未导出，输出至 {2}</translation>
    </message>
    <message>
      <source>{0} road/ditch parcel(s) of codes {1}, {2} of them no wider than {3} m.</source>
      <translation>地类编码为 {1} 的道路/沟渠图斑 {0} 个，其中宽度不超过 {3} 米的 {2} 个。</translation>
    </message>
    <message>
      <source>{0} villages, {1} hollow villages.</source>
      <translation>共 {0} 个村，其中空心村 {1} 个。</translation>
    </message>
    <message>
      <source>{0} × {1}</source>
      <translation>{0} × {1}</translation>
    </message>
    <message>
      <source>{0} — {1}</source>
      <translation>{0}——{1}</translation>
    </message>
    <message>
      <source>{0} 宗地 have no ZDDM: counted, but no household row can join them.</source>
      <translation>{0} 宗宗地没有 ZDDM：仍计入统计，但无法关联农户调查记录。</translation>
    </message>
    <message>
      <source>{0}: 0 parcels.</source>
      <translation>{0}：0 个图斑。</translation>
    </message>
    <message>
      <source>{0}: not checked.</source>
      <translation>{0}：未检查。</translation>
    </message>
    <message>
      <source>{0}: tagged area against the target</source>
      <translation>{0}：已标注面积与目标对比</translation>
    </message>
    <message>
      <source>{0}: the layer has no features.</source>
      <translation>{0}：图层没有要素。</translation>
    </message>
    <message>
      <source>{0}: {1:,.2f} of {2:,.0f} mu tagged ({3:.1%})</source>
      <translation>{0}：已标注 {1:,.2f} 亩，目标 {2:,.0f} 亩（{3:.1%}）</translation>
    </message>
    <message>
      <source>{0}: {1}</source>
      <translation>{0}：{1}</translation>
    </message>
    <message>
      <source>{0}: {1} block(s), farmland {2:.2f} 亩, mean {3:.2f} 亩, area-weighted mean {4:.2f} 亩, largest {5:.2f} 亩, {6:.1f}% in blocks of at least {7:g} 亩.</source>
      <translation>{0}：连片区 {1} 个，耕地 {2:.2f} 亩，平均 {3:.2f} 亩，面积加权平均 {4:.2f} 亩，最大 {5:.2f} 亩，{6:.1f}% 的耕地位于不小于 {7:g} 亩的连片区内。</translation>
    </message>
    <message>
      <source>{0}: {1} feature(s) have no geometry: kept in the outputs, left out of every spatial rule.</source>
      <translation>{0}：{1} 个要素没有几何，保留在输出中，不参与任何空间规则。</translation>
    </message>
    <message>
      <source>{0}: {1} features read straight from the file through GDAL's Arrow stream (fast path).</source>
      <translation>{0}：经 GDAL Arrow 流直接从文件读取 {1} 个要素（快速通道）。</translation>
    </message>
    <message>
      <source>{0}: {1} invalid polygon(s) repaired (kept, not dropped).</source>
      <translation>{0}：已修复 {1} 个无效面（保留，未删除）。</translation>
    </message>
    <message>
      <source>{0}: {1} parcel(s), {2:.2f} 亩 (field {3}).</source>
      <translation>{0}：{1} 个图斑，{2:.2f} 亩（字段 {3}）。</translation>
    </message>
    <message>
      <source>{0}: {1} parcel(s), {2:.2f} 亩, new farmland {3:.2f} 亩.</source>
      <translation>{0}：{1} 个图斑，{2:.2f} 亩，新增耕地 {3:.2f} 亩。</translation>
    </message>
    <message>
      <source>{0}: {1} polygon(s), {2:.2f} ha, cut into {3} tiles.</source>
      <translation>{0}：{1} 个面，{2:.2f} 公顷，切分为 {3} 个瓦片。</translation>
    </message>
    <message>
      <source>{0}: {1} polygon(s).</source>
      <translation>{0}：{1} 个面。</translation>
    </message>
    <message>
      <source>{0}: {1} value(s) of field {2} are not valid text in the layer's encoding {3} (shown as �). Set the layer's data source encoding (Layer Properties → Source, e.g. GBK for 三调 shapefiles without .cpg) and run again.</source>
      <translation>{0}：字段 {2} 有 {1} 个值不是图层编码 {3} 下的有效文字（显示为 �）。请设置图层的数据源编码（图层属性 → 源；无 .cpg 的三调 shapefile 一般为 GBK）后重新运行。</translation>
    </message>
    <message>
      <source>{key} given twice: line {first} says {old!r}, this line {new!r}; the first is used</source>
      <translation>{key}重复：第{first}行为{old!r}，此行为{new!r}；采用前者</translation>
    </message>
    <message>
      <source>{layer}: field {field} is not unique: {values} value(s) occur on {count} parcels (e.g. {examples}); a household row with such a key joins every one of them.</source>
      <translation>{layer}：字段 {field} 不唯一，{values} 个值出现在 {count} 个图斑上（例如 {examples}），入户调查表中该值的记录会同时关联到这些图斑。</translation>
    </message>
    <message>
      <source>{layer}: the layer has no field {field} ({alias}): the checks of {field} are not run.</source>
      <translation>{layer}：图层没有字段 {field}（{alias}），未检查与之有关的项目。</translation>
    </message>
    <message>
      <source>{layer}: the parcels are measured in {crs}, which their coordinates fit (see the CRS finding above).</source>
      <translation>{layer}：按与坐标相符的 {crs} 量算图斑（见上面的坐标系问题）。</translation>
    </message>
    <message>
      <source>{layer}: without a CRS that fits the coordinates, the parcels are measured in the layer's own units (taken as metres): TBMJ is compared with the planar area.</source>
      <translation>{layer}：没有与坐标相符的坐标系，按图层坐标（视为米）量算：图斑面积 TBMJ 与平面面积比较。</translation>
    </message>
    <message>
      <source>{layer}: without a CRS that fits the coordinates, which look like degrees, the parcels cannot be measured: TBMJ against the ellipsoidal area and the gaps and overlaps are not checked.</source>
      <translation>{layer}：没有与坐标相符的坐标系，且坐标像经纬度，无法量算图斑：未检查图斑面积与椭球面积、面缝隙和面重叠。</translation>
    </message>
    <message>
      <source>{layer}: {count} farmland parcel(s) ({area_mu:.2f} 亩) have no slope grade GDPDJB (NULL): the DEM's slope grade is used where a DEM is given, else they are not judged by grade. E.g. {examples}.</source>
      <translation>{layer}：{count} 个耕地图斑（{area_mu:.2f} 亩）耕地坡度级别 GDPDJB 为空：提供 DEM 时采用 DEM 计算的坡度级别，否则不参与按坡度级别的判断。例如 {examples}。</translation>
    </message>
    <message>
      <source>{layer}: {count} farmland parcel(s) ({area_mu:.2f} 亩) have no 田坎 coefficient KCXS (NULL): KCMJ ÷ TBMJ is used where KCMJ is given, else the province's coefficient of the parcel's slope grade where a rule needs one. E.g. {examples}.</source>
      <translation>{layer}：{count} 个耕地图斑（{area_mu:.2f} 亩）扣除地类系数 KCXS 为空：有 KCMJ 时取 KCMJ ÷ TBMJ，否则在需要时取省定该坡度级别的田坎系数。例如 {examples}。</translation>
    </message>
    <message>
      <source>{layer}: {count} parcel(s) ({area_mu:.2f} 亩) have land-use codes DLBM that are no 三调 code ({codes}): unknown class, left out of every land-class rule.</source>
      <translation>{layer}：{count} 个图斑（{area_mu:.2f} 亩）的地类编码 DLBM 不是三调地类（{codes}），按“未知地类”处理，不参与任何地类规则。</translation>
    </message>
    <message>
      <source>{layer}: {count} parcel(s) ({area_mu:.2f} 亩) have no deduction area KCMJ (NULL): TBMJ − TBDLMJ is used where TBDLMJ is given, else round(TBMJ × KCXS, 2), else 0. E.g. {examples}.</source>
      <translation>{layer}：{count} 个图斑（{area_mu:.2f} 亩）扣除地类面积 KCMJ 为空：有 TBDLMJ 时取 TBMJ − TBDLMJ，否则取 round(TBMJ × KCXS, 2)，再否则为 0。例如 {examples}。</translation>
    </message>
    <message>
      <source>{layer}: {count} parcel(s) ({area_mu:.2f} 亩) have no identifier BSM (NULL): they join no household row and are listed by feature id.</source>
      <translation>{layer}：{count} 个图斑（{area_mu:.2f} 亩）标识码 BSM 为空，不与入户调查表关联，以要素编号列出。</translation>
    </message>
    <message>
      <source>{layer}: {count} parcel(s) ({area_mu:.2f} 亩) have no land-use code DLBM (NULL): unknown class, left out of every land-class rule (farmland, construction land…) and counted here. E.g. {examples}.</source>
      <translation>{layer}：{count} 个图斑（{area_mu:.2f} 亩）地类编码 DLBM 为空，按“未知地类”处理，不参与任何地类规则（耕地、建设用地等），在此计数。例如 {examples}。</translation>
    </message>
    <message>
      <source>{layer}: {count} parcel(s) ({area_mu:.2f} 亩) have no location code ZLDWDM (NULL): counted under an unknown village. E.g. {examples}.</source>
      <translation>{layer}：{count} 个图斑（{area_mu:.2f} 亩）坐落单位代码 ZLDWDM 为空，计入“未知村”。例如 {examples}。</translation>
    </message>
    <message>
      <source>{layer}: {count} parcel(s) ({area_mu:.2f} 亩) have no net area TBDLMJ (NULL): TBMJ − KCMJ is used (farmland stays counted, net of 田坎). E.g. {examples}.</source>
      <translation>{layer}：{count} 个图斑（{area_mu:.2f} 亩）图斑地类面积 TBDLMJ 为空，采用 TBMJ − KCMJ（耕地照常按扣除田坎后的面积计入）。例如 {examples}。</translation>
    </message>
    <message>
      <source>{layer}: {count} parcel(s) have KCMJ ≠ round(TBMJ × KCXS, 2) (e.g. {examples}).</source>
      <translation>{layer}：{count} 个图斑扣除地类面积 KCMJ ≠ round(TBMJ × KCXS, 2)（例如 {examples}）。</translation>
    </message>
    <message>
      <source>{layer}: {count} parcel(s) have TBDLMJ ≠ TBMJ − KCMJ (e.g. {examples}).</source>
      <translation>{layer}：{count} 个图斑图斑地类面积 TBDLMJ ≠ TBMJ − KCMJ（例如 {examples}）。</translation>
    </message>
    <message>
      <source>{layer}: {count} parcel(s) have an area TBMJ more than {tolerance:g} % away from their geometry's ellipsoidal area (e.g. {examples}): the recorded TBMJ is used; check those parcels.</source>
      <translation>{layer}：{count} 个图斑的图斑面积 TBMJ 与其几何椭球面积相差超过 {tolerance:g}%（例如 {examples}），仍采用记录的 TBMJ，请核查。</translation>
    </message>
    <message>
      <source>{layer}: {count} parcel(s) have no area TBMJ (NULL): their ellipsoidal area ({area_mu:.2f} 亩 in all) is used. E.g. {examples}.</source>
      <translation>{layer}：{count} 个图斑图斑面积 TBMJ 为空，采用其椭球面积（合计 {area_mu:.2f} 亩）。例如 {examples}。</translation>
    </message>
    <message>
      <source>{line}: the layer has no polygons; its overlap areas are all 0.</source>
      <translation>{line}：该图层无面要素，重叠面积均为 0。</translation>
    </message>
    <message>
      <source>{names} in exponent notation ({text}): digits were lost (saved from a spreadsheet?)</source>
      <translation>{names}为科学计数法（{text}）：有效数字已丢失（是否由电子表格保存？）</translation>
    </message>
    <message>
      <source>{names} not a number: {text}</source>
      <translation>{names} 不是数字：{text}</translation>
    </message>
    <message>
      <source>{parcels} new-farmland parcel(s) inside the red line (overlap {overlap:,.2f} mu)</source>
      <translation>{parcels} 个新增耕地图斑位于红线内（重叠 {overlap:,.2f} 亩）</translation>
    </message>
    <message>
      <source>{parcels} new-farmland parcel(s) steeper than {limit:g}°, new farmland {area:,.2f} mu</source>
      <translation>{parcels} 个新增耕地图斑坡度 &gt; {limit:g}°，新增耕地 {area:,.2f} 亩</translation>
    </message>
    <message>
      <source>{parcels} new-farmland parcel(s) steeper than {limit:g}°, new farmland {area:,.2f} mu; slope unknown for {unknown} parcel(s)</source>
      <translation>{parcels} 个新增耕地图斑坡度 &gt; {limit:g}°，新增耕地 {area:,.2f} 亩；{unknown} 个图斑坡度未知</translation>
    </message>
    <message>
      <source>{} homestead parcels have no household survey row (household evidence unknown).</source>
      <translation>{} 个宅基地图斑没有农户调查记录（农户情况未知）。</translation>
    </message>
    <message>
      <source>{} homestead parcels lie in no village polygon.</source>
      <translation>{} 个宅基地图斑不在任何村界内。</translation>
    </message>
    <message>
      <source>“Install now” puts them with QGIS's own Python into a folder of your QGIS profile ({0}); no administrator rights are needed.</source>
      <translation>“立即安装”会用 QGIS 自带的 Python 把它们安装到当前 QGIS 用户配置下的文件夹（{0}），不需要管理员权限。</translation>
    </message>
    <message>
      <source>… {n} more finding(s) of this kind not shown (see the 说明 field SM of the output)</source>
      <translation>……另有{n}条同类问题未列出（见输出的说明字段SM）</translation>
    </message>
    <message>
      <source>几度分带={value}: only 3-degree zones are read; the coordinates are taken as 3-degree zone {zone}</source>
      <translation>几度分带={value}：只支持三度带，坐标按三度带第{zone}带读取</translation>
    </message>
    <message>
      <source>圈号 {value!r} is not a positive whole number</source>
      <translation>圈号{value!r}不是正整数</translation>
    </message>
    <message>
      <source>地块 '{block}' has no points</source>
      <translation>地块“{block}”没有界址点。</translation>
    </message>
    <message>
      <source>地块 '{block}': Y prefix {prefixes} differs from zone {zone} ({count} point(s), lines {lines})</source>
      <translation>地块“{block}”：Y坐标前缀{prefixes}与第{zone}带不符（{count}个点，第{lines}行）</translation>
    </message>
    <message>
      <source>地块 '{block}': stated area {stated:.4f} ha, coordinates give {computed:.4f} ha</source>
      <translation>地块“{block}”：记录面积 {stated:.4f} 公顷，按坐标计算为 {computed:.4f} 公顷。</translation>
    </message>
    <message>
      <source>地块 '{block}': {count} point(s) more than {km:g} km from the 地块's other points (up to {far:,.1f} km; lines {lines})</source>
      <translation>地块“{block}”：{count}个点距本地块其他点超过{km:g}千米（最远{far:,.1f}千米；第{lines}行）</translation>
    </message>
    <message>
      <source>地块 '{block}': {count} point(s) outside Qiannan Prefecture (zone-36 easting {e_min:,.0f}–{e_max:,.0f}, northing {n_min:,.0f}–{n_max:,.0f}; lines {lines})</source>
      <translation>地块“{block}”：{count}个点在黔南州范围之外（36带东坐标{e_min:,.0f}–{e_max:,.0f}，北坐标{n_min:,.0f}–{n_max:,.0f}；第{lines}行）</translation>
    </message>
    <message>
      <source>地块 '{block}': {count} point(s) outside zone {zone} (easting {e_min:,.0f}–{e_max:,.0f}, northing {n_min:,.0f}–{n_max:,.0f}; lines {lines})</source>
      <translation>地块“{block}”：{count}个点超出第{zone}带范围（东坐标{e_min:,.0f}–{e_max:,.0f}，北坐标{n_min:,.0f}–{n_max:,.0f}；第{lines}行）</translation>
    </message>
    <message>
      <source>地块 '{block}': {count} point(s) with coordinates no map can hold (lines {lines}); the 地块 gets no geometry</source>
      <translation>地块“{block}”：{count}个点的坐标不可能存在（第{lines}行），该地块不生成图形</translation>
    </message>
    <message>
      <source>地块 '{block}': 圈号 {found} where {expected} was expected (rings are numbered 1, 2, 3… in order)</source>
      <translation>地块“{block}”：圈号为{found}，应为{expected}（圈号应按1、2、3……顺序编号）</translation>
    </message>
    <message>
      <source>地块 '{block}': 界址点数 says {stated}, {found} point lines follow</source>
      <translation>地块“{block}”：界址点数记为 {stated}，其后有 {found} 行界址点。</translation>
    </message>
    <message>
      <source>地块 line does not end with @</source>
      <translation>地块行未以 @ 结尾。</translation>
    </message>
    <message>
      <source>地块 line has {n} fields, 8 expected</source>
      <translation>地块行有 {n} 个字段，应为 8 个。</translation>
    </message>
    <message>
      <source>地块面积 is not a number: {value!r}</source>
      <translation>地块面积不是数字：{value!r}</translation>
    </message>
    <message>
      <source>坐标系={value} is not CGCS2000 (2000国家大地坐标系): the coordinates are placed as CGCS2000</source>
      <translation>坐标系={value}不是2000国家大地坐标系：坐标按CGCS2000放置</translation>
    </message>
    <message>
      <source>宗地 code field (ZDDM)</source>
      <translation>宗地代码字段（ZDDM）</translation>
    </message>
    <message>
      <source>带号 is not a number: {value!r}</source>
      <translation>带号不是数字：{value!r}</translation>
    </message>
    <message>
      <source>带号 {zone} (line {zone_line}) contradicts the zone prefix {prefix} of the Y coordinates (from 地块 '{block}' on); zone {prefix} of the coordinates is used</source>
      <translation>带号{zone}（第{zone_line}行）与Y坐标的带号前缀{prefix}矛盾（自地块“{block}”起）；按坐标的第{prefix}带读取</translation>
    </message>
    <message>
      <source>带号 {zone} is no CGCS2000 3-degree zone (25–45)</source>
      <translation>带号{zone}不是CGCS2000三度带（25–45）</translation>
    </message>
    <message>
      <source>状态 (ZT) of the 地块: {0}</source>
      <translation>地块状态（ZT）：{0}</translation>
    </message>
    <message>
      <source>界址点数 is not a whole number: {value!r}</source>
      <translation>界址点数不是整数：{value!r}</translation>
    </message>
    <message>
      <source>计量单位={value}: the coordinates are read as metres</source>
      <translation>计量单位={value}：坐标按米读取</translation>
    </message>
  </context>
</TS>
