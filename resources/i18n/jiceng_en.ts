<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="zh_CN">
  <context>
    <name>Ask</name>
    <message>
      <source>放弃</source>
      <translation>Discard</translation>
    </message>
    <message>
      <source>放弃修改</source>
      <translation>Discard changes</translation>
    </message>
    <message>
      <source>放弃未保存的内容？</source>
      <translation>Discard what you have not saved?</translation>
    </message>
    <message>
      <source>继续编辑</source>
      <translation>Keep editing</translation>
    </message>
  </context>
  <context>
    <name>CaseForm</name>
    <message>
      <source>不予受理理由</source>
      <translation>Reason for declining</translation>
    </message>
    <message>
      <source>个人诉求</source>
      <translation>Individual</translation>
    </message>
    <message>
      <source>事项</source>
      <translation>Action</translation>
    </message>
    <message>
      <source>企业</source>
      <translation>Enterprise</translation>
    </message>
    <message>
      <source>内容</source>
      <translation>Details</translation>
    </message>
    <message>
      <source>办理期限</source>
      <translation>Due date</translation>
    </message>
    <message>
      <source>办理结果</source>
      <translation>Outcome</translation>
    </message>
    <message>
      <source>办理记录</source>
      <translation>Handling record</translation>
    </message>
    <message>
      <source>办结日期</source>
      <translation>Resolved on</translation>
    </message>
    <message>
      <source>反映人</source>
      <translation>Complainant</translation>
    </message>
    <message>
      <source>回访方式</source>
      <translation>Follow-up method</translation>
    </message>
    <message>
      <source>回访日期</source>
      <translation>Followed up on</translation>
    </message>
    <message>
      <source>打印日期</source>
      <translation>Printed on</translation>
    </message>
    <message>
      <source>打印日期：{date}</source>
      <translation>Printed on: {date}</translation>
    </message>
    <message>
      <source>承办人</source>
      <translation>Handled by</translation>
    </message>
    <message>
      <source>承办人（签字）：＿＿＿＿＿＿　　　　　日期：＿＿＿＿＿＿</source>
      <translation>Handled by (signature): ____________          Date: ____________</translation>
    </message>
    <message>
      <source>时间</source>
      <translation>Time</translation>
    </message>
    <message>
      <source>来源</source>
      <translation>Source</translation>
    </message>
    <message>
      <source>满意度</source>
      <translation>Satisfaction</translation>
    </message>
    <message>
      <source>状态</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>登记日期</source>
      <translation>Received on</translation>
    </message>
    <message>
      <source>第 {page} 页 / 共 {pages} 页</source>
      <translation>Page {page} of {pages}</translation>
    </message>
    <message>
      <source>类别</source>
      <translation>Category</translation>
    </message>
    <message>
      <source>紧急程度</source>
      <translation>Urgency</translation>
    </message>
    <message>
      <source>经办人</source>
      <translation>By</translation>
    </message>
    <message>
      <source>编号</source>
      <translation>Number</translation>
    </message>
    <message>
      <source>编号：{number}</source>
      <translation>Number: {number}</translation>
    </message>
    <message>
      <source>职工诉求登记表</source>
      <translation>Worker Complaint Registration Form</translation>
    </message>
    <message>
      <source>职工诉求登记表·办理单 {number}</source>
      <translation>Complaint registration and handling form {number}</translation>
    </message>
    <message>
      <source>职工诉求登记表·办理单（续）　编号：{number}</source>
      <translation>Complaint registration and handling form (continued)  Number: {number}</translation>
    </message>
    <message>
      <source>联系方式</source>
      <translation>Contact</translation>
    </message>
    <message>
      <source>诉求内容</source>
      <translation>Description</translation>
    </message>
    <message>
      <source>诉求办理单</source>
      <translation>Handling Form</translation>
    </message>
    <message>
      <source>诉求标题</source>
      <translation>Title</translation>
    </message>
    <message>
      <source>身份证号</source>
      <translation>ID number</translation>
    </message>
    <message>
      <source>车间/班组</source>
      <translation>Workshop/team</translation>
    </message>
    <message>
      <source>转办单位</source>
      <translation>Referred to</translation>
    </message>
    <message>
      <source>集体/人数</source>
      <translation>Collective/people</translation>
    </message>
    <message>
      <source>集体诉求，{count}人</source>
      <translation>Collective, {count} people</translation>
    </message>
    <message>
      <source>（保密）</source>
      <translation>(confidential)</translation>
    </message>
    <message>
      <source>（暂无办理记录）</source>
      <translation>(no handling record yet)</translation>
    </message>
    <message>
      <source>（未填）</source>
      <translation>(not filled in)</translation>
    </message>
    <message>
      <source>（续）</source>
      <translation>(cont.)</translation>
    </message>
  </context>
  <context>
    <name>Columns</name>
    <message>
      <source>人数</source>
      <translation>People</translation>
    </message>
    <message>
      <source>企业</source>
      <translation>Enterprise</translation>
    </message>
    <message>
      <source>企业名称</source>
      <translation>Enterprise name</translation>
    </message>
    <message>
      <source>会员</source>
      <translation>Member</translation>
    </message>
    <message>
      <source>办理期限</source>
      <translation>Deadline</translation>
    </message>
    <message>
      <source>反映人</source>
      <translation>Raised by</translation>
    </message>
    <message>
      <source>困难类别</source>
      <translation>Hardship category</translation>
    </message>
    <message>
      <source>地址</source>
      <translation>Address</translation>
    </message>
    <message>
      <source>姓名</source>
      <translation>Name</translation>
    </message>
    <message>
      <source>已建会</source>
      <translation>Union founded</translation>
    </message>
    <message>
      <source>帮扶对象</source>
      <translation>Beneficiary</translation>
    </message>
    <message>
      <source>帮扶日期</source>
      <translation>Assistance date</translation>
    </message>
    <message>
      <source>帮扶类型</source>
      <translation>Assistance type</translation>
    </message>
    <message>
      <source>性别</source>
      <translation>Gender</translation>
    </message>
    <message>
      <source>所在企业</source>
      <translation>Enterprise</translation>
    </message>
    <message>
      <source>所属行业</source>
      <translation>Industry</translation>
    </message>
    <message>
      <source>手机号</source>
      <translation>Mobile</translation>
    </message>
    <message>
      <source>承办人</source>
      <translation>Assignee</translation>
    </message>
    <message>
      <source>接触人数</source>
      <translation>People met</translation>
    </message>
    <message>
      <source>收集人</source>
      <translation>Collected by</translation>
    </message>
    <message>
      <source>收集日期</source>
      <translation>Date collected</translation>
    </message>
    <message>
      <source>来源企业</source>
      <translation>Source enterprise</translation>
    </message>
    <message>
      <source>标题</source>
      <translation>Title</translation>
    </message>
    <message>
      <source>状态</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>登记日期</source>
      <translation>Date registered</translation>
    </message>
    <message>
      <source>类别</source>
      <translation>Category</translation>
    </message>
    <message>
      <source>类型</source>
      <translation>Type</translation>
    </message>
    <message>
      <source>紧急程度</source>
      <translation>Urgency</translation>
    </message>
    <message>
      <source>经办人</source>
      <translation>Handled by</translation>
    </message>
    <message>
      <source>统一社会信用代码</source>
      <translation>Unified social credit code</translation>
    </message>
    <message>
      <source>编号</source>
      <translation>Number</translation>
    </message>
    <message>
      <source>职工人数</source>
      <translation>Employees</translation>
    </message>
    <message>
      <source>负责人</source>
      <translation>Person in charge</translation>
    </message>
    <message>
      <source>资金来源</source>
      <translation>Funding source</translation>
    </message>
    <message>
      <source>走访干部</source>
      <translation>Visiting cadre</translation>
    </message>
    <message>
      <source>走访情况</source>
      <translation>Visit notes</translation>
    </message>
    <message>
      <source>走访日期</source>
      <translation>Visit date</translation>
    </message>
    <message>
      <source>身份证号</source>
      <translation>ID number</translation>
    </message>
    <message>
      <source>车间/班组</source>
      <translation>Workshop/team</translation>
    </message>
    <message>
      <source>车间/班组名称</source>
      <translation>Workshop/team name</translation>
    </message>
    <message>
      <source>金额（元）</source>
      <translation>Amount (yuan)</translation>
    </message>
    <message>
      <source>集体合同</source>
      <translation>Collective contract</translation>
    </message>
  </context>
  <context>
    <name>Counts</name>
    <message>
      <source>{noun} {count} 个</source>
      <translation>{noun}: {count}</translation>
    </message>
    <message>
      <source>{noun} {count} 人次</source>
      <translation>{noun}: {count}</translation>
    </message>
    <message>
      <source>{noun} {count} 件</source>
      <translation>{noun}: {count}</translation>
    </message>
    <message>
      <source>{noun} {count} 名</source>
      <translation>{noun}: {count}</translation>
    </message>
    <message>
      <source>{noun} {count} 处</source>
      <translation>{noun}: {count}</translation>
    </message>
    <message>
      <source>{noun} {count} 家</source>
      <translation>{noun}: {count}</translation>
    </message>
    <message>
      <source>{noun} {count} 对</source>
      <translation>{noun}: {count}</translation>
    </message>
    <message>
      <source>{noun} {count} 条</source>
      <translation>{noun}: {count}</translation>
    </message>
    <message>
      <source>{noun} {count} 次</source>
      <translation>{noun}: {count}</translation>
    </message>
    <message>
      <source>、</source>
      <translation>,</translation>
    </message>
    <message>
      <source>（新 {count} 个）</source>
      <translation>({count} new)</translation>
    </message>
    <message>
      <source>（新 {count} 人次）</source>
      <translation>({count} new)</translation>
    </message>
    <message>
      <source>（新 {count} 件）</source>
      <translation>({count} new)</translation>
    </message>
    <message>
      <source>（新 {count} 名）</source>
      <translation>({count} new)</translation>
    </message>
    <message>
      <source>（新 {count} 处）</source>
      <translation>({count} new)</translation>
    </message>
    <message>
      <source>（新 {count} 家）</source>
      <translation>({count} new)</translation>
    </message>
    <message>
      <source>（新 {count} 对）</source>
      <translation>({count} new)</translation>
    </message>
    <message>
      <source>（新 {count} 条）</source>
      <translation>({count} new)</translation>
    </message>
    <message>
      <source>（新 {count} 次）</source>
      <translation>({count} new)</translation>
    </message>
  </context>
  <context>
    <name>Dashboard</name>
    <message>
      <source>{name}，您好</source>
      <translation>Hello, {name}</translation>
    </message>
    <message>
      <source>一年未帮扶的困难职工</source>
      <translation>Workers in hardship not assisted for a year</translation>
    </message>
    <message>
      <source>刷新</source>
      <translation>Refresh</translation>
    </message>
    <message>
      <source>办理中的诉求</source>
      <translation>Cases in progress</translation>
    </message>
    <message>
      <source>即将到期</source>
      <translation>Due soon</translation>
    </message>
    <message>
      <source>困难档案待复核</source>
      <translation>Hardship profiles due for review</translation>
    </message>
    <message>
      <source>困难职工：一年内未走访或帮扶</source>
      <translation>Workers in hardship: not visited or assisted within a year</translation>
    </message>
    <message>
      <source>已办结、待回访</source>
      <translation>Resolved, awaiting follow-up</translation>
    </message>
    <message>
      <source>已超期诉求</source>
      <translation>Overdue cases</translation>
    </message>
    <message>
      <source>并发修改待核对</source>
      <translation>Concurrent edits to review</translation>
    </message>
    <message>
      <source>待回访</source>
      <translation>Awaiting follow-up</translation>
    </message>
    <message>
      <source>本周走访</source>
      <translation>Visits this week</translation>
    </message>
    <message>
      <source>查看全部</source>
      <translation>See all</translation>
    </message>
    <message>
      <source>等待处理的变更 {pending} 条，隔离 {quarantined} 条</source>
      <translation>{pending} changes pending, {quarantined} quarantined</translation>
    </message>
    <message>
      <source>超期诉求（按期限）</source>
      <translation>Overdue cases (by deadline)</translation>
    </message>
    <message>
      <source>（无）</source>
      <translation>(none)</translation>
    </message>
  </context>
  <context>
    <name>Enterprises</name>
    <message>
      <source>车间 / 班组</source>
      <translation>Workshops / teams</translation>
    </message>
  </context>
  <context>
    <name>Errors</name>
    <message>
      <source>CSV 文件第 {line} 行格式有误（{error}）</source>
      <translation>Line {line} of the CSV file is malformed ({error})</translation>
    </message>
    <message>
      <source>kind 应为 enterprises 或 workers</source>
      <translation>kind must be enterprises or workers</translation>
    </message>
    <message>
      <source>{items}、{item}</source>
      <translation>{items}, {item}</translation>
    </message>
    <message>
      <source>{noun} {row_id}，{field}：{reason}（原值 {value}，现以 {stand_in} 代替）</source>
      <translation>{noun} {row_id}, {field}: {reason} (stored {value}, shown as {stand_in})</translation>
    </message>
    <message>
      <source>不是有效日期</source>
      <translation>not a valid date</translation>
    </message>
    <message>
      <source>不是有效的手机号或固定电话</source>
      <translation>Not a valid mobile or landline number</translation>
    </message>
    <message>
      <source>不是有效的数字</source>
      <translation>Not a valid number</translation>
    </message>
    <message>
      <source>不是有效的日期</source>
      <translation>Not a valid date</translation>
    </message>
    <message>
      <source>不是有效的日期（格式：2026-01-31）</source>
      <translation>Not a valid date (format: 2026-01-31)</translation>
    </message>
    <message>
      <source>不是有效的记录编号</source>
      <translation>not a valid record id</translation>
    </message>
    <message>
      <source>不是有效的选项</source>
      <translation>Not a valid option</translation>
    </message>
    <message>
      <source>不是规定的选项</source>
      <translation>not one of the allowed choices</translation>
    </message>
    <message>
      <source>不能为空，且不超过50个字</source>
      <translation>Required, at most 50 characters</translation>
    </message>
    <message>
      <source>不能关联诉求本身</source>
      <translation>Cannot link a case to itself</translation>
    </message>
    <message>
      <source>不能早于登记日期</source>
      <translation>Cannot be earlier than the registration date</translation>
    </message>
    <message>
      <source>不能晚于今天</source>
      <translation>Cannot be later than today</translation>
    </message>
    <message>
      <source>不能超过100个字</source>
      <translation>Cannot exceed 100 characters</translation>
    </message>
    <message>
      <source>不认识的字段</source>
      <translation>Unknown field</translation>
    </message>
    <message>
      <source>与第 {row} 行重复</source>
      <translation>repeats row {row}</translation>
    </message>
    <message>
      <source>个人诉求的涉及人数应为1；多人反映请勾选“集体诉求”</source>
      <translation>An individual case involves 1 person; if several people raised it, tick “Collective case”</translation>
    </message>
    <message>
      <source>企业</source>
      <translation>enterprise</translation>
    </message>
    <message>
      <source>关联诉求</source>
      <translation>case link</translation>
    </message>
    <message>
      <source>冲突记录</source>
      <translation>conflict</translation>
    </message>
    <message>
      <source>出生日期无效</source>
      <translation>Invalid date of birth</translation>
    </message>
    <message>
      <source>前17位应为数字</source>
      <translation>The first 17 characters must be digits</translation>
    </message>
    <message>
      <source>办理期限不能早于登记日期</source>
      <translation>The deadline cannot be earlier than the registration date</translation>
    </message>
    <message>
      <source>办理记录</source>
      <translation>handling log entry</translation>
    </message>
    <message>
      <source>区总工会</source>
      <translation>district union office</translation>
    </message>
    <message>
      <source>只能导入 .xlsx 或 .csv 文件，而不是 {suffix}</source>
      <translation>Only .xlsx or .csv files can be imported, not {suffix}</translation>
    </message>
    <message>
      <source>只能导入 .xlsx 或 .csv 文件，而不是 无扩展名的文件</source>
      <translation>Only .xlsx or .csv files can be imported, not a file without an extension</translation>
    </message>
    <message>
      <source>含有不可见的控制字符（{char}），请删除后重新导入</source>
      <translation>contains an invisible control character ({char}); delete it and import again</translation>
    </message>
    <message>
      <source>含有无效字符</source>
      <translation>contains invalid characters</translation>
    </message>
    <message>
      <source>含有空字符</source>
      <translation>contains a NUL character</translation>
    </message>
    <message>
      <source>回访须填写回访方式</source>
      <translation>A follow-up needs its method</translation>
    </message>
    <message>
      <source>困难职工须填写困难情况</source>
      <translation>Hardship details are required for workers in hardship</translation>
    </message>
    <message>
      <source>在前 {rows} 行中找不到表头；应包含这些列中的至少两列：{columns}</source>
      <translation>No header row in the first {rows} rows; it should hold at least two of these columns: {columns}</translation>
    </message>
    <message>
      <source>填写了建会日期，但“是否建会”为否</source>
      <translation>A union founding date is given, but “Union founded” is No</translation>
    </message>
    <message>
      <source>好经验好做法</source>
      <translation>good practice</translation>
    </message>
    <message>
      <source>帮扶记录</source>
      <translation>assistance record</translation>
    </message>
    <message>
      <source>应为2–10位大写字母或数字</source>
      <translation>Must be 2–10 uppercase letters or digits</translation>
    </message>
    <message>
      <source>应为“是”或“否”</source>
      <translation>Must be “Yes” or “No”</translation>
    </message>
    <message>
      <source>应为以下之一：{choices}</source>
      <translation>should be one of: {choices}</translation>
    </message>
    <message>
      <source>应为列表</source>
      <translation>Must be a list</translation>
    </message>
    <message>
      <source>应为整数</source>
      <translation>Must be a whole number</translation>
    </message>
    <message>
      <source>应为文本</source>
      <translation>Must be text</translation>
    </message>
    <message>
      <source>应为日期，不含时间</source>
      <translation>Must be a date without a time</translation>
    </message>
    <message>
      <source>应填“是”或“否”</source>
      <translation>Should be “yes” or “no”</translation>
    </message>
    <message>
      <source>必填</source>
      <translation>Required</translation>
    </message>
    <message>
      <source>性别与身份证号不符</source>
      <translation>Gender does not match the ID number</translation>
    </message>
    <message>
      <source>找不到企业“{name}”：请先导入或新建该企业</source>
      <translation>No enterprise “{name}”: import or create it first</translation>
    </message>
    <message>
      <source>找不到该{record}（可能已被删除）</source>
      <translation>This {record} cannot be found (it may have been deleted)</translation>
    </message>
    <message>
      <source>数值过大</source>
      <translation>Value too large</translation>
    </message>
    <message>
      <source>数据检查：{count} 处存储的值不符合规则，已隔离并以替代值显示，请核对后修改相应记录</source>
      <translation>Data check: {count} stored values break the rules; they were set aside and are shown with stand-ins. Please check and correct those records</translation>
    </message>
    <message>
      <source>文件中的 {part} 解压后过大或结构异常，可能是恶意构造的文件，已拒绝导入</source>
      <translation>{part} in the file is too large when unpacked or malformed, as a crafted file would be; the import was refused</translation>
    </message>
    <message>
      <source>文件超过 {limit} MB，请分成几个文件导入</source>
      <translation>The file is over {limit} MB; split it into several files and import them one by one</translation>
    </message>
    <message>
      <source>无</source>
      <translation>none</translation>
    </message>
    <message>
      <source>无效的处理方式：{choice}</source>
      <translation>Invalid way to settle: {choice}</translation>
    </message>
    <message>
      <source>无法识别文件编码（应为 UTF-8 或 GBK）</source>
      <translation>Cannot tell the file's encoding (it should be UTF-8 or GBK)</translation>
    </message>
    <message>
      <source>无法读取该 Excel 文件（{error}），请确认文件完好</source>
      <translation>Cannot read this Excel file ({error}); please check that it is intact</translation>
    </message>
    <message>
      <source>有职工不属于所选企业</source>
      <translation>Some workers do not belong to the selected enterprise</translation>
    </message>
    <message>
      <source>末位应为数字或X</source>
      <translation>The last character must be a digit or X</translation>
    </message>
    <message>
      <source>校验位错误，请核对</source>
      <translation>Check digit is wrong; please check</translation>
    </message>
    <message>
      <source>第 {row} 行 {column} 列的内容超过 {limit} 个字符（Excel 的上限），文件可能已损坏</source>
      <translation>Row {row}, column {column} holds more than {limit} characters (Excel's limit); the file may be damaged</translation>
    </message>
    <message>
      <source>第 {row} 行「{column}」：{reason}</source>
      <translation>Row {row}, “{column}”: {reason}</translation>
    </message>
    <message>
      <source>第 {row} 行超过 {limit} 列，请删去多余的列后重新导入</source>
      <translation>Row {row} has more than {limit} columns; delete the extra columns and import again</translation>
    </message>
    <message>
      <source>第3–8位应为数字（登记管理机关的行政区划码）</source>
      <translation>positions 3–8 must be digits (the registering authority's division code)</translation>
    </message>
    <message>
      <source>类型不符</source>
      <translation>wrong type</translation>
    </message>
    <message>
      <source>结束日期不能早于开始日期</source>
      <translation>The end date cannot be earlier than the start date</translation>
    </message>
    <message>
      <source>缺少必填值</source>
      <translation>required value missing</translation>
    </message>
    <message>
      <source>职工</source>
      <translation>worker</translation>
    </message>
    <message>
      <source>表头缺少必需的列：{columns}</source>
      <translation>The header lacks required columns: {columns}</translation>
    </message>
    <message>
      <source>被 Excel 存成了数字，末几位已丢失；请把该列设为“文本”后重新填写</source>
      <translation>Excel stored this as a number and lost the last digits; format the column as text and enter it again</translation>
    </message>
    <message>
      <source>记录</source>
      <translation>record</translation>
    </message>
    <message>
      <source>诉求</source>
      <translation>case</translation>
    </message>
    <message>
      <source>诉求当前为“{current}”，不能改为“{target}”（可改为：{allowed}）</source>
      <translation>The case is “{current}” and cannot become “{target}” (it can become: {allowed})</translation>
    </message>
    <message>
      <source>该 Excel 文件已加密：请在 Excel 中取消密码后另存再导入</source>
      <translation>This Excel file is encrypted: remove the password in Excel, save it again and import that</translation>
    </message>
    <message>
      <source>该 Excel 文件由超过 {limit} 个部分组成，不像一份名单，已拒绝导入</source>
      <translation>This Excel file has more than {limit} parts, which no list needs; the import was refused</translation>
    </message>
    <message>
      <source>该{record}下还有{dependent}，请先处理后再删除</source>
      <translation>This {record} still has a {dependent}; deal with it first, then delete</translation>
    </message>
    <message>
      <source>该{record}引用的{reference}不在本机台账中（可能尚未同步到本机），暂不能编辑</source>
      <translation>The {reference} this {record} refers to is not in this computer's ledger (it may not have synced here yet), so it cannot be edited for now</translation>
    </message>
    <message>
      <source>该职工没有在档的困难档案</source>
      <translation>This worker has no hardship profile on file</translation>
    </message>
    <message>
      <source>请说明查看原因（2–200字）</source>
      <translation>Please give a reason for viewing (2–200 characters)</translation>
    </message>
    <message>
      <source>请通过修改困难类别来建档</source>
      <translation>Create a profile by changing the hardship category</translation>
    </message>
    <message>
      <source>走访对象</source>
      <translation>person visited</translation>
    </message>
    <message>
      <source>走访记录</source>
      <translation>visit</translation>
    </message>
    <message>
      <source>超出范围</source>
      <translation>out of range</translation>
    </message>
    <message>
      <source>超过 {limit} 行，请分成几个文件导入</source>
      <translation>More than {limit} rows; please split it into several files</translation>
    </message>
    <message>
      <source>超过长度上限</source>
      <translation>too long</translation>
    </message>
    <message>
      <source>车间/班组</source>
      <translation>workshop/team</translation>
    </message>
    <message>
      <source>金额应大于 0</source>
      <translation>The amount must be more than 0</translation>
    </message>
    <message>
      <source>集体诉求的涉及人数应不少于2人</source>
      <translation>A collective case must involve at least 2 people</translation>
    </message>
    <message>
      <source>驻点记录</source>
      <translation>stationing record</translation>
    </message>
    <message>
      <source>（空）</source>
      <translation>(empty)</translation>
    </message>
  </context>
  <context>
    <name>Fields</name>
    <message>
      <source>不予受理理由</source>
      <translation>Reason for declining</translation>
    </message>
    <message>
      <source>为反映人保密</source>
      <translation>Keep the person raising it confidential</translation>
    </message>
    <message>
      <source>主要做法</source>
      <translation>Main practices</translation>
    </message>
    <message>
      <source>人数</source>
      <translation>Number of people</translation>
    </message>
    <message>
      <source>企业</source>
      <translation>Enterprise</translation>
    </message>
    <message>
      <source>企业名称</source>
      <translation>Enterprise name</translation>
    </message>
    <message>
      <source>关联诉求</source>
      <translation>Linked case</translation>
    </message>
    <message>
      <source>其他字段</source>
      <translation>Other field</translation>
    </message>
    <message>
      <source>创建时间</source>
      <translation>Created at</translation>
    </message>
    <message>
      <source>删除</source>
      <translation>Deleted</translation>
    </message>
    <message>
      <source>办理期限</source>
      <translation>Deadline</translation>
    </message>
    <message>
      <source>办理状态</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>办理结果</source>
      <translation>Outcome</translation>
    </message>
    <message>
      <source>办理记录</source>
      <translation>Handling log</translation>
    </message>
    <message>
      <source>办结日期</source>
      <translation>Date resolved</translation>
    </message>
    <message>
      <source>区总工会</source>
      <translation>District union office</translation>
    </message>
    <message>
      <source>反映人</source>
      <translation>Raised by</translation>
    </message>
    <message>
      <source>发现问题</source>
      <translation>Problems found</translation>
    </message>
    <message>
      <source>后续跟进</source>
      <translation>Follow-up</translation>
    </message>
    <message>
      <source>回访方式</source>
      <translation>Follow-up method</translation>
    </message>
    <message>
      <source>回访日期</source>
      <translation>Follow-up date</translation>
    </message>
    <message>
      <source>困难情况</source>
      <translation>Hardship details</translation>
    </message>
    <message>
      <source>困难档案状态</source>
      <translation>Hardship file status</translation>
    </message>
    <message>
      <source>困难类别</source>
      <translation>Hardship category</translation>
    </message>
    <message>
      <source>地址</source>
      <translation>Address</translation>
    </message>
    <message>
      <source>备注</source>
      <translation>Notes</translation>
    </message>
    <message>
      <source>复核日期</source>
      <translation>Review date</translation>
    </message>
    <message>
      <source>好经验好做法</source>
      <translation>Good practices</translation>
    </message>
    <message>
      <source>姓名</source>
      <translation>Name</translation>
    </message>
    <message>
      <source>岗位</source>
      <translation>Position</translation>
    </message>
    <message>
      <source>帮扶对象</source>
      <translation>Beneficiary</translation>
    </message>
    <message>
      <source>帮扶慰问</source>
      <translation>Assistance</translation>
    </message>
    <message>
      <source>帮扶日期</source>
      <translation>Assistance date</translation>
    </message>
    <message>
      <source>帮扶类型</source>
      <translation>Assistance type</translation>
    </message>
    <message>
      <source>并发修改</source>
      <translation>Concurrent edit</translation>
    </message>
    <message>
      <source>建会日期</source>
      <translation>Union founding date</translation>
    </message>
    <message>
      <source>建档日期</source>
      <translation>Date filed</translation>
    </message>
    <message>
      <source>开始日期</source>
      <translation>Start date</translation>
    </message>
    <message>
      <source>性别</source>
      <translation>Gender</translation>
    </message>
    <message>
      <source>所在企业</source>
      <translation>Enterprise</translation>
    </message>
    <message>
      <source>所属企业</source>
      <translation>Enterprise</translation>
    </message>
    <message>
      <source>所属区总工会</source>
      <translation>District union office</translation>
    </message>
    <message>
      <source>所属行业</source>
      <translation>Industry</translation>
    </message>
    <message>
      <source>手机号</source>
      <translation>Mobile number</translation>
    </message>
    <message>
      <source>承办人</source>
      <translation>Assignee</translation>
    </message>
    <message>
      <source>接触人数</source>
      <translation>People met</translation>
    </message>
    <message>
      <source>收集人</source>
      <translation>Collected by</translation>
    </message>
    <message>
      <source>收集日期</source>
      <translation>Date collected</translation>
    </message>
    <message>
      <source>日期</source>
      <translation>Date</translation>
    </message>
    <message>
      <source>是否会员</source>
      <translation>Union member</translation>
    </message>
    <message>
      <source>是否建会</source>
      <translation>Union founded</translation>
    </message>
    <message>
      <source>是否签订集体合同</source>
      <translation>Collective contract signed</translation>
    </message>
    <message>
      <source>来源</source>
      <translation>Source</translation>
    </message>
    <message>
      <source>来源企业</source>
      <translation>Source enterprise</translation>
    </message>
    <message>
      <source>来源走访</source>
      <translation>Source visit</translation>
    </message>
    <message>
      <source>标题</source>
      <translation>Title</translation>
    </message>
    <message>
      <source>涉及人数</source>
      <translation>People involved</translation>
    </message>
    <message>
      <source>满意度</source>
      <translation>Satisfaction</translation>
    </message>
    <message>
      <source>状态</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>登记日期</source>
      <translation>Date registered</translation>
    </message>
    <message>
      <source>登记设备</source>
      <translation>Registered on device</translation>
    </message>
    <message>
      <source>类型</source>
      <translation>Type</translation>
    </message>
    <message>
      <source>紧急程度</source>
      <translation>Urgency</translation>
    </message>
    <message>
      <source>经办人</source>
      <translation>Handled by</translation>
    </message>
    <message>
      <source>结束日期</source>
      <translation>End date</translation>
    </message>
    <message>
      <source>统一社会信用代码</source>
      <translation>Unified social credit code</translation>
    </message>
    <message>
      <source>职工</source>
      <translation>Worker</translation>
    </message>
    <message>
      <source>职工人数</source>
      <translation>Number of employees</translation>
    </message>
    <message>
      <source>联系人</source>
      <translation>Contact person</translation>
    </message>
    <message>
      <source>联系电话</source>
      <translation>Contact phone</translation>
    </message>
    <message>
      <source>记录</source>
      <translation>Record</translation>
    </message>
    <message>
      <source>诉求</source>
      <translation>Case</translation>
    </message>
    <message>
      <source>诉求内容</source>
      <translation>Case details</translation>
    </message>
    <message>
      <source>诉求标题</source>
      <translation>Case title</translation>
    </message>
    <message>
      <source>诉求类别</source>
      <translation>Case category</translation>
    </message>
    <message>
      <source>诉求编号</source>
      <translation>Case number</translation>
    </message>
    <message>
      <source>说明</source>
      <translation>Description</translation>
    </message>
    <message>
      <source>负责人</source>
      <translation>Person in charge</translation>
    </message>
    <message>
      <source>资金来源</source>
      <translation>Funding source</translation>
    </message>
    <message>
      <source>走访</source>
      <translation>Visit</translation>
    </message>
    <message>
      <source>走访企业</source>
      <translation>Enterprise visited</translation>
    </message>
    <message>
      <source>走访对象</source>
      <translation>Person visited</translation>
    </message>
    <message>
      <source>走访干部</source>
      <translation>Visiting cadre</translation>
    </message>
    <message>
      <source>走访情况</source>
      <translation>Visit notes</translation>
    </message>
    <message>
      <source>走访日期</source>
      <translation>Visit date</translation>
    </message>
    <message>
      <source>走访类型</source>
      <translation>Visit type</translation>
    </message>
    <message>
      <source>走访职工</source>
      <translation>Workers visited</translation>
    </message>
    <message>
      <source>走访车间/班组</source>
      <translation>Workshops/teams visited</translation>
    </message>
    <message>
      <source>身份证号</source>
      <translation>ID number</translation>
    </message>
    <message>
      <source>车间/班组</source>
      <translation>Workshop/team</translation>
    </message>
    <message>
      <source>车间/班组名称</source>
      <translation>Workshop/team name</translation>
    </message>
    <message>
      <source>转办部门</source>
      <translation>Referred to</translation>
    </message>
    <message>
      <source>金额（元）</source>
      <translation>Amount (yuan)</translation>
    </message>
    <message>
      <source>集体诉求</source>
      <translation>Collective case</translation>
    </message>
    <message>
      <source>驻点企业</source>
      <translation>Enterprise stationed at</translation>
    </message>
    <message>
      <source>驻点干部</source>
      <translation>Stationed cadre</translation>
    </message>
    <message>
      <source>驻点记录</source>
      <translation>Stationing</translation>
    </message>
  </context>
  <context>
    <name>FirstRun</name>
    <message>
      <source>两次输入的口令不一致</source>
      <translation>The passphrases do not match</translation>
    </message>
    <message>
      <source>例如：张驻点</source>
      <translation>e.g. Zhang Wei</translation>
    </message>
    <message>
      <source>例如：鼓楼区总工会</source>
      <translation>e.g. Gulou District Trade Union</translation>
    </message>
    <message>
      <source>公钥文件无效：{reason}</source>
      <translation>Invalid public key file: {reason}</translation>
    </message>
    <message>
      <source>再次输入口令*</source>
      <translation>Repeat passphrase*</translation>
    </message>
    <message>
      <source>区(县)总工会</source>
      <translation>District (county) union office</translation>
    </message>
    <message>
      <source>区总工会公钥</source>
      <translation>District union office public key</translation>
    </message>
    <message>
      <source>区总工会的公钥文件（.pub）</source>
      <translation>Public key file of the district union office (.pub)</translation>
    </message>
    <message>
      <source>口令*</source>
      <translation>Passphrase*</translation>
    </message>
    <message numerus="yes">
      <source>口令至少 %n 个字符</source>
      <translation>
        <numerusform>Passphrase must be at least %n characters</numerusform>
        <numerusform>Passphrase must be at least %n characters</numerusform>
      </translation>
    </message>
    <message>
      <source>可选</source>
      <translation>Optional</translation>
    </message>
    <message>
      <source>基层公钥文件 (*.pub *.json)</source>
      <translation>Jiceng public key file (*.pub *.json)</translation>
    </message>
    <message>
      <source>基层是工会驻点干部的离线工作台账。数据加密保存在本机，联网时与市总工会服务器同步，也可用 U 盘同步包交给区总工会。</source>
      <translation>Jiceng is an offline work ledger for trade-union cadres stationed at enterprises. Data is stored encrypted on this computer, syncs with the city federation of trade unions' server when online, and can also be handed to the district union office as a USB sync bundle.</translation>
    </message>
    <message>
      <source>基本信息</source>
      <translation>Basic information</translation>
    </message>
    <message>
      <source>姓名或单位*</source>
      <translation>Name or organisation*</translation>
    </message>
    <message>
      <source>开始使用</source>
      <translation>Get started</translation>
    </message>
    <message>
      <source>所属区(县)总工会</source>
      <translation>District (county) union office</translation>
    </message>
    <message>
      <source>找不到公钥文件</source>
      <translation>Public key file not found</translation>
    </message>
    <message>
      <source>接入码</source>
      <translation>Access code</translation>
    </message>
    <message>
      <source>数据目录</source>
      <translation>Data folder</translation>
    </message>
    <message>
      <source>数据目录已建好，但接入服务器没有成功：</source>
      <translation>The data folder was created, but connecting to the server failed:</translation>
    </message>
    <message>
      <source>更改…</source>
      <translation>Change…</translation>
    </message>
    <message>
      <source>服务器地址</source>
      <translation>Server address</translation>
    </message>
    <message>
      <source>服务器地址和接入码要一起填写</source>
      <translation>Fill in the server address and access code together</translation>
    </message>
    <message>
      <source>正在创建加密数据文件…</source>
      <translation>Creating encrypted data file…</translation>
    </message>
    <message>
      <source>正在接入服务器…</source>
      <translation>Connecting to the server…</translation>
    </message>
    <message>
      <source>正在生成演示数据…</source>
      <translation>Generating demo data…</translation>
    </message>
    <message>
      <source>生成演示数据（先熟悉程序，可随时删除数据目录重来）</source>
      <translation>Generate demo data (to get familiar with the app; you can delete the data folder and start over at any time)</translation>
    </message>
    <message>
      <source>编号前缀</source>
      <translation>Number prefix</translation>
    </message>
    <message>
      <source>角色</source>
      <translation>Role</translation>
    </message>
    <message>
      <source>诉求编号前缀，如 GL01（可不填）</source>
      <translation>Case number prefix, e.g. GL01 (optional)</translation>
    </message>
    <message>
      <source>请填写姓名或单位名称</source>
      <translation>Please enter a name or organisation name</translation>
    </message>
    <message>
      <source>退出</source>
      <translation>Quit</translation>
    </message>
    <message>
      <source>选择…</source>
      <translation>Choose…</translation>
    </message>
    <message>
      <source>选择公钥文件</source>
      <translation>Choose public key file</translation>
    </message>
    <message>
      <source>选择数据目录</source>
      <translation>Choose data folder</translation>
    </message>
    <message>
      <source>首次设置</source>
      <translation>First-time setup</translation>
    </message>
    <message>
      <source>驻点干部</source>
      <translation>Stationed cadre</translation>
    </message>
  </context>
  <context>
    <name>Form</name>
    <message>
      <source>……还有更多，请在右侧输入查找</source>
      <translation>…more: type on the right to search</translation>
    </message>
    <message>
      <source>为反映人保密的诉求不显示反映人；如需更正，请先取消保密</source>
      <translation>The person who raised a confidential case is not shown; to correct it, clear the confidentiality first</translation>
    </message>
    <message>
      <source>保存</source>
      <translation>Save</translation>
    </message>
    <message>
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <source>如 2026-01-31</source>
      <translation>e.g. 2026-01-31</translation>
    </message>
    <message>
      <source>新建</source>
      <translation>New</translation>
    </message>
    <message>
      <source>日历</source>
      <translation>Calendar</translation>
    </message>
    <message>
      <source>留空则按期限规则计算</source>
      <translation>Leave blank to calculate from the deadline rules</translation>
    </message>
    <message>
      <source>编辑</source>
      <translation>Edit</translation>
    </message>
    <message>
      <source>请核对标出的内容，无误后再次点击“保存”</source>
      <translation>Check what is marked; if it is right, press Save again</translation>
    </message>
    <message>
      <source>请核对：</source>
      <translation>Please check:</translation>
    </message>
    <message>
      <source>输入姓名查找</source>
      <translation>Type a name to search</translation>
    </message>
    <message>
      <source>选择日期</source>
      <translation>Choose date</translation>
    </message>
    <message>
      <source>（已删除）</source>
      <translation>(deleted)</translation>
    </message>
    <message>
      <source>（无效值：{value}）</source>
      <translation>(invalid value: {value})</translation>
    </message>
    <message>
      <source>（未填）</source>
      <translation>(not filled in)</translation>
    </message>
    <message>
      <source>（请选择）</source>
      <translation>(choose)</translation>
    </message>
  </context>
  <context>
    <name>Import</name>
    <message>
      <source>从 Excel 导入：{file}</source>
      <translation>Import from Excel: {file}</translation>
    </message>
    <message>
      <source>共 {rows} 行：将新增 {created}，将更新 {updated}，未变 {unchanged}，有误 {errors}</source>
      <translation>{rows} rows: {created} to add, {updated} to update, {unchanged} unchanged, {errors} with errors</translation>
    </message>
    <message>
      <source>共 {rows} 行：已新增 {created}，已更新 {updated}，未变 {unchanged}，有误 {errors}</source>
      <translation>{rows} rows: {created} added, {updated} updated, {unchanged} unchanged, {errors} with errors</translation>
    </message>
    <message>
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <source>只导入正确的行</source>
      <translation>Import the valid rows only</translation>
    </message>
    <message>
      <source>导入</source>
      <translation>Import</translation>
    </message>
    <message>
      <source>无法导入：{reason}</source>
      <translation>Cannot import: {reason}</translation>
    </message>
    <message>
      <source>正在检查…</source>
      <translation>Checking…</translation>
    </message>
    <message>
      <source>需核对：{warning}</source>
      <translation>To check: {warning}</translation>
    </message>
    <message>
      <source>，新建车间 {count} 个</source>
      <translation>, {count} new workshops</translation>
    </message>
    <message>
      <source>，需核对 {count}</source>
      <translation>, to check {count}</translation>
    </message>
  </context>
  <context>
    <name>Issues</name>
    <message>
      <source>“{field}”被同时修改：</source>
      <translation>“{field}” was modified concurrently:</translation>
    </message>
    <message>
      <source>不予受理理由</source>
      <translation>Reason for declining</translation>
    </message>
    <message>
      <source>仅超期</source>
      <translation>Overdue only</translation>
    </message>
    <message>
      <source>企业</source>
      <translation>Enterprise</translation>
    </message>
    <message>
      <source>保密</source>
      <translation>Confidential</translation>
    </message>
    <message>
      <source>保留当前值</source>
      <translation>Keep current value</translation>
    </message>
    <message>
      <source>全部状态</source>
      <translation>All statuses</translation>
    </message>
    <message>
      <source>全部类别</source>
      <translation>All categories</translation>
    </message>
    <message numerus="yes">
      <source>共 %n 条</source>
      <translation>
        <numerusform>%n in total</numerusform>
        <numerusform>%n in total</numerusform>
      </translation>
    </message>
    <message>
      <source>删除</source>
      <translation>Delete</translation>
    </message>
    <message>
      <source>删除诉求 {number}？</source>
      <translation>Delete case {number}?</translation>
    </message>
    <message>
      <source>办理期限</source>
      <translation>Deadline</translation>
    </message>
    <message>
      <source>办理结果</source>
      <translation>Outcome</translation>
    </message>
    <message>
      <source>办理记录</source>
      <translation>Handling log</translation>
    </message>
    <message>
      <source>反映人</source>
      <translation>Raised by</translation>
    </message>
    <message>
      <source>反映人要求保密，不显示姓名</source>
      <translation>The complainant asked for confidentiality; the name is not shown</translation>
    </message>
    <message>
      <source>另一值：{value}</source>
      <translation>Other value: {value}</translation>
    </message>
    <message>
      <source>否</source>
      <translation>No</translation>
    </message>
    <message>
      <source>回访方式</source>
      <translation>Follow-up method</translation>
    </message>
    <message>
      <source>在左侧选择一条诉求</source>
      <translation>Select a case on the left</translation>
    </message>
    <message>
      <source>已{action}，现为“{status}”</source>
      <translation>Done: {action}; now “{status}”</translation>
    </message>
    <message>
      <source>已删除诉求 {number}</source>
      <translation>Deleted case {number}</translation>
    </message>
    <message>
      <source>已办天数</source>
      <translation>Days elapsed</translation>
    </message>
    <message>
      <source>已处理并发修改</source>
      <translation>Concurrent edit resolved</translation>
    </message>
    <message>
      <source>已生成 {path}（共 {pages} 页）</source>
      <translation>Saved {path} ({pages} pages)</translation>
    </message>
    <message>
      <source>已登记</source>
      <translation>Registered</translation>
    </message>
    <message>
      <source>已超期</source>
      <translation>Overdue</translation>
    </message>
    <message>
      <source>已送打印机：{number}（共 {pages} 页）</source>
      <translation>Sent to the printer: {number} ({pages} pages)</translation>
    </message>
    <message>
      <source>当前值：{value}</source>
      <translation>Current value: {value}</translation>
    </message>
    <message>
      <source>待核对</source>
      <translation>Needs review</translation>
    </message>
    <message>
      <source>打印…</source>
      <translation>Print…</translation>
    </message>
    <message>
      <source>打印诉求登记表</source>
      <translation>Print the complaint form</translation>
    </message>
    <message>
      <source>承办人</source>
      <translation>Assignee</translation>
    </message>
    <message>
      <source>承办人：</source>
      <translation>Assignee:</translation>
    </message>
    <message>
      <source>把诉求登记表和办理单保存为 PDF</source>
      <translation>Save the registration and handling form as a PDF</translation>
    </message>
    <message>
      <source>指派</source>
      <translation>Assign</translation>
    </message>
    <message>
      <source>搜索编号、标题、反映人、企业、类别（Ctrl+F）</source>
      <translation>Search number, title, complainant, enterprise, category (Ctrl+F)</translation>
    </message>
    <message>
      <source>改用另一值</source>
      <translation>Use other value</translation>
    </message>
    <message>
      <source>是</source>
      <translation>Yes</translation>
    </message>
    <message>
      <source>有并发修改待核对</source>
      <translation>Concurrent edits need review</translation>
    </message>
    <message>
      <source>未办结</source>
      <translation>Unresolved</translation>
    </message>
    <message>
      <source>未能完成</source>
      <translation>Could not finish</translation>
    </message>
    <message>
      <source>来源</source>
      <translation>Source</translation>
    </message>
    <message>
      <source>涉及人数</source>
      <translation>People involved</translation>
    </message>
    <message>
      <source>添加办理记录</source>
      <translation>Add handling note</translation>
    </message>
    <message>
      <source>满意度</source>
      <translation>Satisfaction</translation>
    </message>
    <message>
      <source>用系统打印对话框打印</source>
      <translation>Print with the system's print dialog</translation>
    </message>
    <message>
      <source>登记日期</source>
      <translation>Date registered</translation>
    </message>
    <message>
      <source>登记诉求（Ctrl+N）</source>
      <translation>Register case (Ctrl+N)</translation>
    </message>
    <message>
      <source>确认删除</source>
      <translation>Confirm deletion</translation>
    </message>
    <message>
      <source>类别</source>
      <translation>Category</translation>
    </message>
    <message>
      <source>紧急程度</source>
      <translation>Urgency</translation>
    </message>
    <message>
      <source>编辑</source>
      <translation>Edit</translation>
    </message>
    <message>
      <source>诉求登记表-{number}</source>
      <translation>complaint-form-{number}</translation>
    </message>
    <message>
      <source>转办部门</source>
      <translation>Referred to</translation>
    </message>
    <message>
      <source>送打印机…</source>
      <translation>Send to printer…</translation>
    </message>
    <message>
      <source>（未填）</source>
      <translation>(not filled in)</translation>
    </message>
    <message>
      <source>（空）</source>
      <translation>(empty)</translation>
    </message>
  </context>
  <context>
    <name>Main</name>
    <message>
      <source>● 在线</source>
      <translation>● Online</translation>
    </message>
    <message>
      <source>● 离线</source>
      <translation>● Offline</translation>
    </message>
    <message>
      <source>上次同步 {time}</source>
      <translation>Last synced {time}</translation>
    </message>
    <message>
      <source>企业 / 车间</source>
      <translation>Enterprises / workshops</translation>
    </message>
    <message>
      <source>出错了</source>
      <translation>Something went wrong</translation>
    </message>
    <message>
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <source>同步未完成：{reason}</source>
      <translation>Sync not completed: {reason}</translation>
    </message>
    <message>
      <source>基层</source>
      <translation>Jiceng</translation>
    </message>
    <message>
      <source>好经验好做法</source>
      <translation>Good practices</translation>
    </message>
    <message>
      <source>工会驻点工作台账 — {replica}</source>
      <translation>Union stationing ledger — {replica}</translation>
    </message>
    <message>
      <source>工作台</source>
      <translation>Dashboard</translation>
    </message>
    <message>
      <source>已撤销</source>
      <translation>Undone</translation>
    </message>
    <message>
      <source>帮扶慰问</source>
      <translation>Hardship assistance</translation>
    </message>
    <message numerus="yes">
      <source>待发送 %n 条</source>
      <translation>
        <numerusform>%n waiting to send</numerusform>
        <numerusform>%n waiting to send</numerusform>
      </translation>
    </message>
    <message>
      <source>撤销</source>
      <translation>Undo</translation>
    </message>
    <message>
      <source>操作没有完成（{error}）。数据没有改动。</source>
      <translation>The operation did not complete ({error}). No data was changed.</translation>
    </message>
    <message>
      <source>数据同步</source>
      <translation>Data sync</translation>
    </message>
    <message>
      <source>服务器拒收了 {count} 条变更，详见“数据同步”</source>
      <translation>The server refused {count} changes; see Sync</translation>
    </message>
    <message>
      <source>服务器暂存了 {count} 条时钟超前的变更，详见“数据同步”</source>
      <translation>The server is holding {count} changes stamped by a clock that ran ahead; see Sync</translation>
    </message>
    <message>
      <source>本机时钟与服务器相差较大，请校正系统时间</source>
      <translation>This computer's clock differs a lot from the server's; please correct the system time</translation>
    </message>
    <message>
      <source>统计报表</source>
      <translation>Reports</translation>
    </message>
    <message>
      <source>职工</source>
      <translation>Workers</translation>
    </message>
    <message>
      <source>职工诉求</source>
      <translation>Cases</translation>
    </message>
    <message>
      <source>自动备份未完成：{reason}</source>
      <translation>Automatic backup did not finish: {reason}</translation>
    </message>
    <message>
      <source>设置</source>
      <translation>Settings</translation>
    </message>
    <message>
      <source>走访记录</source>
      <translation>Visits</translation>
    </message>
  </context>
  <context>
    <name>Nouns</name>
    <message>
      <source>企业</source>
      <translation>enterprise</translation>
    </message>
    <message>
      <source>好经验好做法</source>
      <translation>Good practices</translation>
    </message>
    <message>
      <source>帮扶记录</source>
      <translation>assistance record</translation>
    </message>
    <message>
      <source>职工</source>
      <translation>worker</translation>
    </message>
    <message>
      <source>诉求</source>
      <translation>case</translation>
    </message>
    <message>
      <source>走访记录</source>
      <translation>visit</translation>
    </message>
    <message>
      <source>车间/班组</source>
      <translation>workshop/team</translation>
    </message>
  </context>
  <context>
    <name>Queue</name>
    <message>
      <source>点击清除此筛选</source>
      <translation>Click to clear this filter</translation>
    </message>
  </context>
  <context>
    <name>Records</name>
    <message>
      <source>个人信息</source>
      <translation>Personal information</translation>
    </message>
    <message>
      <source>仅困难职工</source>
      <translation>Workers in hardship only</translation>
    </message>
    <message>
      <source>从 Excel 导入…</source>
      <translation>Import from Excel…</translation>
    </message>
    <message>
      <source>修改职工信息会显示其完整个人信息。</source>
      <translation>Editing a worker shows their full personal information.</translation>
    </message>
    <message>
      <source>全部企业</source>
      <translation>All enterprises</translation>
    </message>
    <message numerus="yes">
      <source>共 %n 条</source>
      <translation>
        <numerusform>%n in total</numerusform>
        <numerusform>%n in total</numerusform>
      </translation>
    </message>
    <message>
      <source>删除</source>
      <translation>Delete</translation>
    </message>
    <message>
      <source>删除这条{noun}：{name}？</source>
      <translation>Delete this {noun}: {name}?</translation>
    </message>
    <message>
      <source>否</source>
      <translation>No</translation>
    </message>
    <message>
      <source>导入 .xlsx 或 .csv 名单：先检查，再决定是否导入</source>
      <translation>Import an .xlsx or .csv list: it is checked first, then you decide</translation>
    </message>
    <message>
      <source>将显示该职工的完整身份证号、手机号和困难情况。</source>
      <translation>This will show the worker's full ID number, mobile number and hardship details.</translation>
    </message>
    <message>
      <source>已保存</source>
      <translation>Saved</translation>
    </message>
    <message>
      <source>已删除{noun}</source>
      <translation>Deleted {noun}</translation>
    </message>
    <message>
      <source>搜索（Ctrl+F）</source>
      <translation>Search (Ctrl+F)</translation>
    </message>
    <message>
      <source>新建（Ctrl+N）</source>
      <translation>New (Ctrl+N)</translation>
    </message>
    <message>
      <source>是</source>
      <translation>Yes</translation>
    </message>
    <message>
      <source>显示已删除</source>
      <translation>Show deleted</translation>
    </message>
    <message>
      <source>未能完成</source>
      <translation>Could not complete</translation>
    </message>
    <message>
      <source>查看个人信息</source>
      <translation>View personal information</translation>
    </message>
    <message>
      <source>查看个人信息…</source>
      <translation>View personal information…</translation>
    </message>
    <message>
      <source>确认删除</source>
      <translation>Confirm deletion</translation>
    </message>
    <message>
      <source>编辑</source>
      <translation>Edit</translation>
    </message>
    <message>
      <source>请说明原因（将记入审计日志）：</source>
      <translation>Please give a reason (it will be recorded in the audit log):</translation>
    </message>
    <message>
      <source>身份证号、手机号和困难情况默认隐藏；查看须说明原因，并记入审计日志</source>
      <translation>ID numbers, mobile numbers and hardship details are hidden by default; viewing them requires a reason and is recorded in the audit log</translation>
    </message>
    <message>
      <source>选择名单文件</source>
      <translation>Choose the list file</translation>
    </message>
  </context>
  <context>
    <name>Reports</name>
    <message>
      <source>Excel 含完整个人信息</source>
      <translation>Full personal data in Excel</translation>
    </message>
    <message>
      <source>{label} {count}（{percent}%）</source>
      <translation>{label} {count} ({percent}%)</translation>
    </message>
    <message>
      <source>{month}月</source>
      <translation>M{month}</translation>
    </message>
    <message>
      <source>上月</source>
      <translation>Last month</translation>
    </message>
    <message>
      <source>不予受理</source>
      <translation>Declined</translation>
    </message>
    <message>
      <source>主要指标</source>
      <translation>Key figures</translation>
    </message>
    <message>
      <source>今年</source>
      <translation>This year</translation>
    </message>
    <message>
      <source>件数</source>
      <translation>Cases</translation>
    </message>
    <message>
      <source>企业</source>
      <translation>Enterprise</translation>
    </message>
    <message numerus="yes">
      <source>共 %n 件</source>
      <translation>
        <numerusform>%n cases</numerusform>
        <numerusform>%n cases</numerusform>
      </translation>
    </message>
    <message>
      <source>办理期限</source>
      <translation>Deadline</translation>
    </message>
    <message>
      <source>办结</source>
      <translation>Resolved</translation>
    </message>
    <message>
      <source>办结用时分布（天）</source>
      <translation>Days to resolve</translation>
    </message>
    <message>
      <source>办结用时（中位数 / 90%分位，天）</source>
      <translation>Days to resolve (median / 90th percentile)</translation>
    </message>
    <message>
      <source>办结诉求</source>
      <translation>Cases resolved</translation>
    </message>
    <message>
      <source>反映人</source>
      <translation>Complainant</translation>
    </message>
    <message numerus="yes">
      <source>另有 %n 件未列出（见 Excel 台账）</source>
      <translation>
        <numerusform>%n more not listed (see the Excel ledger)</numerusform>
        <numerusform>%n more not listed (see the Excel ledger)</numerusform>
      </translation>
    </message>
    <message>
      <source>回访满意度</source>
      <translation>Satisfaction at follow-up</translation>
    </message>
    <message>
      <source>回访满意度（本期无回访）</source>
      <translation>Satisfaction at follow-up (none this period)</translation>
    </message>
    <message>
      <source>回访率</source>
      <translation>Follow-up rate</translation>
    </message>
    <message>
      <source>图表</source>
      <translation>Charts</translation>
    </message>
    <message>
      <source>导出 Excel 台账</source>
      <translation>Export Excel ledger</translation>
    </message>
    <message>
      <source>导出 Excel 台账…</source>
      <translation>Export Excel ledger…</translation>
    </message>
    <message>
      <source>导出 PDF 月报</source>
      <translation>Export PDF monthly report</translation>
    </message>
    <message>
      <source>导出 PDF 月报…</source>
      <translation>Export PDF report…</translation>
    </message>
    <message>
      <source>导出完整个人信息</source>
      <translation>Export full personal data</translation>
    </message>
    <message>
      <source>将导出完整的身份证号、手机号、困难情况和要求保密的反映人姓名。
请说明原因（将记入审计日志）：</source>
      <translation>This exports full ID numbers, phone numbers, hardship details and the names of complainants who asked for confidentiality.
Please state the reason (it is written to the audit log):</translation>
    </message>
    <message>
      <source>工会驻点工作月报</source>
      <translation>Union field work monthly report</translation>
    </message>
    <message>
      <source>已导出 {path}</source>
      <translation>Exported {path}</translation>
    </message>
    <message>
      <source>帮扶慰问</source>
      <translation>Assistance</translation>
    </message>
    <message>
      <source>建会率</source>
      <translation>Union founding rate</translation>
    </message>
    <message>
      <source>截止日期不能早于起始日期</source>
      <translation>The end date cannot be before the start date</translation>
    </message>
    <message>
      <source>承办人</source>
      <translation>Assignee</translation>
    </message>
    <message>
      <source>指标</source>
      <translation>Figure</translation>
    </message>
    <message>
      <source>接触人次</source>
      <translation>People reached</translation>
    </message>
    <message>
      <source>收集好经验好做法</source>
      <translation>Good practices collected</translation>
    </message>
    <message>
      <source>数值</source>
      <translation>Value</translation>
    </message>
    <message>
      <source>期间</source>
      <translation>Period</translation>
    </message>
    <message>
      <source>未办结诉求（超期在前）</source>
      <translation>Open cases (overdue first)</translation>
    </message>
    <message>
      <source>本季度</source>
      <translation>This quarter</translation>
    </message>
    <message>
      <source>本月</source>
      <translation>This month</translation>
    </message>
    <message>
      <source>标题</source>
      <translation>Title</translation>
    </message>
    <message>
      <source>次数</source>
      <translation>Visits</translation>
    </message>
    <message>
      <source>满意率</source>
      <translation>Satisfaction rate</translation>
    </message>
    <message>
      <source>点击查看这些诉求</source>
      <translation>Click to see these cases</translation>
    </message>
    <message>
      <source>状态</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>生成日期</source>
      <translation>Generated</translation>
    </message>
    <message>
      <source>登记</source>
      <translation>Registered</translation>
    </message>
    <message>
      <source>登记诉求</source>
      <translation>Cases registered</translation>
    </message>
    <message>
      <source>类别</source>
      <translation>Category</translation>
    </message>
    <message>
      <source>类型</source>
      <translation>Kind</translation>
    </message>
    <message>
      <source>统计期间</source>
      <translation>Period</translation>
    </message>
    <message>
      <source>编号</source>
      <translation>Number</translation>
    </message>
    <message>
      <source>自定义</source>
      <translation>Custom</translation>
    </message>
    <message>
      <source>诉求类别</source>
      <translation>Case categories</translation>
    </message>
    <message>
      <source>诉求类别（登记）</source>
      <translation>Cases by category (registered)</translation>
    </message>
    <message>
      <source>请说明原因（2–200字）。</source>
      <translation>Please state a reason (2–200 characters).</translation>
    </message>
    <message>
      <source>走访</source>
      <translation>Visits</translation>
    </message>
    <message>
      <source>走访 {visits} 次，接触职工 {people} 人次；办结用时中位数 {median_days} 天，90%分位 {p90_days} 天；回访率 {follow_up_rate}，满意率 {satisfaction_rate}；帮扶慰问 {assisted} 人次、{yuan} 元；建会率 {union_rate}，集体合同覆盖率 {contract_rate}；收集好经验好做法 {practices} 条</source>
      <translation>{visits} visits reaching {people} people; days to resolve: median {median_days}, 90th percentile {p90_days}; follow-up rate {follow_up_rate}, satisfaction {satisfaction_rate}; assistance to {assisted} people, {yuan} yuan; union founding rate {union_rate}, collective contract coverage {contract_rate}; {practices} good practices collected</translation>
    </message>
    <message>
      <source>超期</source>
      <translation>Overdue</translation>
    </message>
    <message>
      <source>超期天数</source>
      <translation>Days overdue</translation>
    </message>
    <message>
      <source>超期未办结</source>
      <translation>Overdue and open</translation>
    </message>
    <message>
      <source>近12个月诉求登记与办结</source>
      <translation>Cases registered and resolved, last 12 months</translation>
    </message>
    <message>
      <source>集体合同覆盖率</source>
      <translation>Collective contract coverage</translation>
    </message>
  </context>
  <context>
    <name>Settings</name>
    <message>
      <source>以下存储的值不符合规则，已以替代值显示；修改相应字段后即不再列出。</source>
      <translation>These stored values break the rules and are shown with stand-ins; once the field is corrected it leaves this list.</translation>
    </message>
    <message>
      <source>保存期限规则</source>
      <translation>Save deadline rules</translation>
    </message>
    <message>
      <source>保留替代值，不再提示</source>
      <translation>Keep the stand-in, stop reminding me</translation>
    </message>
    <message>
      <source>修改该记录…</source>
      <translation>Edit this record…</translation>
    </message>
    <message>
      <source>办理期限规则（天）</source>
      <translation>Deadline rules (days)</translation>
    </message>
    <message>
      <source>办结后回访期限</source>
      <translation>Follow-up deadline after resolution</translation>
    </message>
    <message>
      <source>困难职工走访/帮扶间隔</source>
      <translation>Visit/assistance interval for workers in hardship</translation>
    </message>
    <message>
      <source>基层备份 (*.db)</source>
      <translation>Jiceng backup (*.db)</translation>
    </message>
    <message>
      <source>备份位置</source>
      <translation>Backup location</translation>
    </message>
    <message>
      <source>备份失败：{reason}</source>
      <translation>Backup failed: {reason}</translation>
    </message>
    <message>
      <source>已备份到 {path}（加密）</source>
      <translation>Backed up to {path} (encrypted)</translation>
    </message>
    <message>
      <source>常规</source>
      <translation>General</translation>
    </message>
    <message>
      <source>提前提醒</source>
      <translation>Remind in advance</translation>
    </message>
    <message>
      <source>数据检查</source>
      <translation>Data check</translation>
    </message>
    <message>
      <source>数据检查：需要核对修改的记录</source>
      <translation>Data check: records to correct</translation>
    </message>
    <message>
      <source>数据目录</source>
      <translation>Data folder</translation>
    </message>
    <message>
      <source>期限规则已保存</source>
      <translation>Deadline rules saved</translation>
    </message>
    <message>
      <source>期限规则未作修改</source>
      <translation>Deadline rules unchanged</translation>
    </message>
    <message>
      <source>界面语言</source>
      <translation>Interface language</translation>
    </message>
    <message>
      <source>立即备份</source>
      <translation>Back up now</translation>
    </message>
    <message>
      <source>这类记录不能修改；如替代值无误，请选择“保留替代值，不再提示”。</source>
      <translation>Records of this kind cannot be edited; if the stand-in is right, choose “Keep the stand-in, stop reminding me”.</translation>
    </message>
    <message>
      <source>选择…</source>
      <translation>Choose…</translation>
    </message>
    <message>
      <source>选择备份位置</source>
      <translation>Choose backup location</translation>
    </message>
    <message>
      <source>重新启动后生效</source>
      <translation>Takes effect after restart</translation>
    </message>
    <message>
      <source>（未设置）</source>
      <translation>(not set)</translation>
    </message>
  </context>
  <context>
    <name>Sync</name>
    <message>
      <source>{count} 条变更因时钟异常被隔离</source>
      <translation>{count} changes held because of a clock anomaly</translation>
    </message>
    <message>
      <source>{count} 条变更因本机时钟超前被服务器暂存，尚未送达：请校正本机时间；服务器时间追上后会自动放行</source>
      <translation>{count} changes are held by the server because this computer's clock ran ahead, and are not delivered yet: correct this computer's time; the server releases them once its time catches up</translation>
    </message>
    <message>
      <source>{count} 条变更待其前序记录到达后生效</source>
      <translation>{count} changes wait for the records they depend on</translation>
    </message>
    <message>
      <source>{count} 条变更被拒收</source>
      <translation>{count} changes refused</translation>
    </message>
    <message>
      <source>{count} 条变更被服务器拒收，没有进入服务器：{reason}</source>
      <translation>{count} changes were refused by the server and did not reach it: {reason}</translation>
    </message>
    <message>
      <source>{days} 天内未收到同步包：{names}</source>
      <translation>Nothing received for {days} days from: {names}</translation>
    </message>
    <message>
      <source>{name}（上次 {date}）</source>
      <translation>{name} (last {date})</translation>
    </message>
    <message>
      <source>{name}（从未收到）</source>
      <translation>{name} (never)</translation>
    </message>
    <message>
      <source>{time} 导出 {count} 条变更（{file}）</source>
      <translation>{count} changes exported {time} ({file})</translation>
    </message>
    <message>
      <source>一次性接入码：</source>
      <translation>One-time access code:</translation>
    </message>
    <message>
      <source>上次交 {peer}</source>
      <translation>Last sent to {peer}</translation>
    </message>
    <message>
      <source>上次交区总工会</source>
      <translation>Last sent to the district union</translation>
    </message>
    <message>
      <source>上次同步</source>
      <translation>Last sync</translation>
    </message>
    <message>
      <source>上次收到回执：{time}</source>
      <translation>Last receipt: {time}</translation>
    </message>
    <message>
      <source>不能为本机自己导出同步包</source>
      <translation>A sync bundle cannot be written for this computer itself</translation>
    </message>
    <message>
      <source>从未</source>
      <translation>Never</translation>
    </message>
    <message>
      <source>从未导出</source>
      <translation>never exported</translation>
    </message>
    <message>
      <source>信任公钥文件…</source>
      <translation>Trust public key file…</translation>
    </message>
    <message>
      <source>信任发送方</source>
      <translation>Trust the sender</translation>
    </message>
    <message>
      <source>公钥文件中的指纹与公钥不符：文件可能被篡改</source>
      <translation>The fingerprint in the public key file does not match the key: the file may have been tampered with</translation>
    </message>
    <message>
      <source>公钥文件的签名无效：文件可能被篡改</source>
      <translation>The public key file's signature is invalid: the file may have been tampered with</translation>
    </message>
    <message>
      <source>共 {count} 个同步包：导入 {done} 个，未能导入 {refused} 个</source>
      <translation>{count} bundles: {done} imported, {refused} could not be imported</translation>
    </message>
    <message>
      <source>其中本机尚无的 {count} 条</source>
      <translation>{count} of them are not on this computer yet</translation>
    </message>
    <message>
      <source>其他</source>
      <translation>Other</translation>
    </message>
    <message>
      <source>内容与清单不符：同步包可能被篡改，拒绝导入</source>
      <translation>Contents do not match the manifest: the sync bundle may have been tampered with; import refused</translation>
    </message>
    <message>
      <source>发送方 {detail} 使用的密钥与已信任的不一致，拒绝导入</source>
      <translation>Sender {detail} is using a different key from the trusted one; import refused</translation>
    </message>
    <message>
      <source>发送方 {detail} 尚未被信任：请先核对对方的密钥指纹，确认无误后再信任</source>
      <translation>The sender {detail} is not trusted yet: compare their key fingerprint first, then trust them</translation>
    </message>
    <message>
      <source>发送方 {detail} 已被撤销信任，拒绝导入</source>
      <translation>Trust in sender {detail} has been revoked; import refused</translation>
    </message>
    <message>
      <source>受信任的副本（区总工会、其他干部、服务器）</source>
      <translation>Trusted replicas (district union office, other cadres, server)</translation>
    </message>
    <message>
      <source>变更条数超出限制（{detail}），拒绝导入</source>
      <translation>Too many changes ({detail}); import refused</translation>
    </message>
    <message>
      <source>口令错误，或该文件不是基层的数据文件：{detail}</source>
      <translation>Wrong passphrase, or not a Jiceng data file: {detail}</translation>
    </message>
    <message>
      <source>同步包 {detail} 没有附带发送方公钥（旧版本导出）：请用对方的公钥文件信任对方</source>
      <translation>Bundle {detail} carries no sender keys (made by an older version): trust the sender with its public key file</translation>
    </message>
    <message>
      <source>同步包不完整（可能拷贝时中断），请重新拷贝后再导入</source>
      <translation>The sync bundle is incomplete (copying may have been interrupted); copy it again and re-import</translation>
    </message>
    <message>
      <source>同步包内容与清单不符（{detail}），拒绝导入</source>
      <translation>Sync bundle contents do not match the manifest ({detail}); import refused</translation>
    </message>
    <message>
      <source>同步包已损坏（{detail}），请重新拷贝后再导入</source>
      <translation>The sync bundle is damaged ({detail}); copy it again and re-import</translation>
    </message>
    <message>
      <source>同步包来自尚未信任的 {sender}（{role}）。</source>
      <translation>This bundle comes from {sender} ({role}), who is not trusted yet.</translation>
    </message>
    <message>
      <source>同步包来自更新版本的基层程序（数据版本 {detail}），请先升级本机的基层程序</source>
      <translation>The bundle comes from a newer version of Jiceng (data version {detail}); update Jiceng on this computer first</translation>
    </message>
    <message>
      <source>同步包来自更新版本的基层程序，请先升级本机的基层程序</source>
      <translation>The bundle comes from a newer version of Jiceng; update Jiceng on this computer first</translation>
    </message>
    <message>
      <source>同步包（U 盘）</source>
      <translation>Sync bundle (USB drive)</translation>
    </message>
    <message>
      <source>名称</source>
      <translation>Name</translation>
    </message>
    <message>
      <source>因时钟异常被隔离的变更</source>
      <translation>Changes quarantined due to clock problems</translation>
    </message>
    <message>
      <source>在线</source>
      <translation>Online</translation>
    </message>
    <message>
      <source>基层公钥文件 (*.pub *.json)</source>
      <translation>Jiceng public key file (*.pub *.json)</translation>
    </message>
    <message>
      <source>基层同步包 (*.jcb)</source>
      <translation>Jiceng sync bundle (*.jcb)</translation>
    </message>
    <message>
      <source>备份文件未通过完整性检查（{detail}），未做任何改动</source>
      <translation>The backup failed its integrity check ({detail}); nothing was changed</translation>
    </message>
    <message>
      <source>备份来自更新版本的基层程序（数据版本 {detail}），请先升级本机的基层程序</source>
      <translation>The backup comes from a newer version of Jiceng (data version {detail}); update Jiceng on this computer first</translation>
    </message>
    <message>
      <source>密钥指纹</source>
      <translation>Key fingerprint</translation>
    </message>
    <message>
      <source>密钥指纹：{fingerprint}</source>
      <translation>Key fingerprint: {fingerprint}</translation>
    </message>
    <message>
      <source>导入 {folder} 中的 {count} 个同步包？每个同步包单独导入，无法导入的会列出原因。</source>
      <translation>Import the {count} bundles in {folder}? Each is imported on its own; any that cannot be are listed with the reason.</translation>
    </message>
    <message>
      <source>导入同步包</source>
      <translation>Import sync bundle</translation>
    </message>
    <message>
      <source>导入同步包…</source>
      <translation>Import sync bundle…</translation>
    </message>
    <message>
      <source>导入文件夹中的全部同步包…</source>
      <translation>Import all bundles in a folder…</translation>
    </message>
    <message>
      <source>导出同步包</source>
      <translation>Export sync bundle</translation>
    </message>
    <message>
      <source>导出同步包…</source>
      <translation>Export sync bundle…</translation>
    </message>
    <message>
      <source>导出本机公钥</source>
      <translation>Export this computer's public key</translation>
    </message>
    <message>
      <source>导出本机公钥…</source>
      <translation>Export this computer's public key…</translation>
    </message>
    <message>
      <source>尚未接入服务器</source>
      <translation>Not connected to a server</translation>
    </message>
    <message>
      <source>尚未收到对方的同步包（回执）</source>
      <translation>No bundle (receipt) received from them yet</translation>
    </message>
    <message>
      <source>已信任</source>
      <translation>Trusted</translation>
    </message>
    <message>
      <source>已取消，本机数据没有改动</source>
      <translation>Cancelled; no local data was changed</translation>
    </message>
    <message>
      <source>已导入来自 {sender} 的：{records}</source>
      <translation>Imported from {sender}: {records}</translation>
    </message>
    <message>
      <source>已导出 {count} 条变更到 {path}</source>
      <translation>Exported {count} changes to {path}</translation>
    </message>
    <message>
      <source>已导出公钥：{path}</source>
      <translation>Public key exported: {path}</translation>
    </message>
    <message>
      <source>已接入，所属 {district}</source>
      <translation>Connected; district {district}</translation>
    </message>
    <message>
      <source>已撤销</source>
      <translation>Revoked</translation>
    </message>
    <message>
      <source>已撤销对 {detail} 的信任，不能向其导出同步包</source>
      <translation>{detail} is no longer trusted: no sync bundle can be written for it</translation>
    </message>
    <message>
      <source>已撤销对 {peer} 的信任</source>
      <translation>{peer} is no longer trusted</translation>
    </message>
    <message>
      <source>市总工会服务器</source>
      <translation>City federation server</translation>
    </message>
    <message>
      <source>并发修改 {count} 处，待处理</source>
      <translation>{count} concurrent edits to settle</translation>
    </message>
    <message>
      <source>待发送的变更</source>
      <translation>Changes waiting to send</translation>
    </message>
    <message>
      <source>找不到副本：{detail}</source>
      <translation>No known replica matches: {detail}</translation>
    </message>
    <message>
      <source>找不到备份文件 {detail}</source>
      <translation>Backup file not found: {detail}</translation>
    </message>
    <message>
      <source>找不到收件方：{detail}</source>
      <translation>No recipient matches: {detail}</translation>
    </message>
    <message>
      <source>接入服务器</source>
      <translation>Connect to server</translation>
    </message>
    <message>
      <source>接入服务器…</source>
      <translation>Connect to server…</translation>
    </message>
    <message>
      <source>接入码无效：可能输错了，或已用过、已过期。请核对后重试，或向管理员索取新的接入码</source>
      <translation>The enrollment code is not valid: it may be mistyped, already used or expired. Check it and try again, or ask the administrator for a new code</translation>
    </message>
    <message>
      <source>接入请求的签名无效：本机密钥文件与本机数据不符，请联系管理员</source>
      <translation>The enrollment request's signature is invalid: this computer's key file does not match its data. Please contact the administrator</translation>
    </message>
    <message>
      <source>撤销信任</source>
      <translation>Revoke trust</translation>
    </message>
    <message>
      <source>撤销信任…</source>
      <translation>Revoke trust…</translation>
    </message>
    <message>
      <source>撤销对 {peer} 的信任？

此后它的同步包将被拒绝；要再次信任，需要它的公钥文件。</source>
      <translation>Stop trusting {peer}?

Its sync bundles will be refused from now on; trusting it again takes its public key file.</translation>
    </message>
    <message>
      <source>收件方</source>
      <translation>Recipient</translation>
    </message>
    <message>
      <source>放行全部</source>
      <translation>Release all</translation>
    </message>
    <message>
      <source>数据目录 {detail} 尚未初始化</source>
      <translation>The data folder {detail} has not been set up</translation>
    </message>
    <message>
      <source>数据目录 {detail} 已经初始化过；为防止覆盖数据，未做任何改动</source>
      <translation>Data folder {detail} is already initialised; to avoid overwriting data, nothing was changed</translation>
    </message>
    <message>
      <source>数据目录 {detail} 正被另一个基层程序使用（已打开的窗口、同步或恢复）：请先关闭它，或稍后再试</source>
      <translation>The data folder {detail} is in use by another Jiceng program (an open window, a sync or a restore): close it first, or try again later</translation>
    </message>
    <message>
      <source>文件过大（{detail}），拒绝导入</source>
      <translation>File too large ({detail}); import refused</translation>
    </message>
    <message>
      <source>无法信任</source>
      <translation>Cannot trust</translation>
    </message>
    <message>
      <source>无法写入文件：{detail}</source>
      <translation>Cannot write the file: {detail}</translation>
    </message>
    <message>
      <source>无法撤销</source>
      <translation>Cannot revoke</translation>
    </message>
    <message>
      <source>无法读取文件：{detail}</source>
      <translation>Cannot read file: {detail}</translation>
    </message>
    <message>
      <source>无法连接服务器（{detail}）。本机数据没有任何损失，联网后会再同步</source>
      <translation>Cannot connect to the server ({detail}). No local data has been lost; it will sync again once online</translation>
    </message>
    <message>
      <source>有多个副本名为“{detail}”，请改用编号或指纹</source>
      <translation>Several replicas are called “{detail}”: give the replica ID or the fingerprint instead</translation>
    </message>
    <message>
      <source>服务器</source>
      <translation>Server</translation>
    </message>
    <message>
      <source>服务器上本机的标识已由另一台设备以不同的密钥接入，或本机旧的接入尚未登记密钥：请联系管理员（旧的接入可先用原凭据同步一次，或由管理员撤销）</source>
      <translation>This computer's identity is already enrolled on the server by another device with a different key, or its earlier enrollment has no key on record yet. Please contact the administrator (the earlier enrollment can sync once with its old credentials, or the administrator can revoke it)</translation>
    </message>
    <message>
      <source>服务器地址：</source>
      <translation>Server address:</translation>
    </message>
    <message>
      <source>服务器拒收</source>
      <translation>Refused by the server</translation>
    </message>
    <message>
      <source>服务器拒绝了 {detail} 条变更：这些变更没有进入服务器，请把上面的原因告知管理员</source>
      <translation>The server refused {detail} changes: they did not reach the server; tell the administrator the reasons above</translation>
    </message>
    <message>
      <source>服务器拒绝了请求：{detail}</source>
      <translation>The server rejected the request: {detail}</translation>
    </message>
    <message>
      <source>服务器暂存</source>
      <translation>Held by server</translation>
    </message>
    <message>
      <source>服务器暂时限制了本机的请求（{detail}）：本机数据没有任何损失，请稍后再同步</source>
      <translation>The server is limiting this computer's requests for now ({detail}): nothing here is lost; sync again later</translation>
    </message>
    <message>
      <source>服务器的回应无效（{detail}）：网络可能需要先登录，或被代理拦截。本机数据没有任何损失</source>
      <translation>Invalid response from the server ({detail}): the network may require a login first, or a proxy blocked it. No local data has been lost</translation>
    </message>
    <message>
      <source>未信任</source>
      <translation>Not trusted</translation>
    </message>
    <message>
      <source>未接入</source>
      <translation>Not connected</translation>
    </message>
    <message>
      <source>本机变更已送达对方 {sent} 条，仍仅在本机 {unsent} 条</source>
      <translation>{sent} local changes delivered to the recipient, {unsent} still only on this computer</translation>
    </message>
    <message>
      <source>本机密钥文件与本机数据不符，无法接入服务器：请联系管理员</source>
      <translation>This computer's key file does not match its data, so it cannot enroll with the server. Please contact the administrator</translation>
    </message>
    <message>
      <source>本机尚未接入服务器：请先用管理员发放的接入码接入</source>
      <translation>This computer is not connected to a server: connect with the access code from your administrator</translation>
    </message>
    <message>
      <source>本机指纹：{fingerprint}</source>
      <translation>This computer's fingerprint: {fingerprint}</translation>
    </message>
    <message>
      <source>本机的同步凭据已失效或已被撤销：请向管理员索取新的接入码，重新接入服务器</source>
      <translation>This computer's sync credentials have expired or been revoked: ask your administrator for a new access code and connect again</translation>
    </message>
    <message>
      <source>来自 {sender}。本包只有对方的回执，不含变更</source>
      <translation>From {sender}. This bundle holds only the sender's receipts, no changes</translation>
    </message>
    <message>
      <source>来自 {sender}。本包含 {count} 条变更：{kinds}</source>
      <translation>From {sender}. This bundle holds {count} changes: {kinds}</translation>
    </message>
    <message>
      <source>核对指纹</source>
      <translation>Verify fingerprint</translation>
    </message>
    <message>
      <source>正在同步…</source>
      <translation>Syncing…</translation>
    </message>
    <message>
      <source>没有收件方</source>
      <translation>No recipients</translation>
    </message>
    <message>
      <source>没有本机尚无的内容</source>
      <translation>nothing this computer lacks</translation>
    </message>
    <message>
      <source>状态</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>确定导入？</source>
      <translation>Import this?</translation>
    </message>
    <message>
      <source>离线（联网后会自动同步）</source>
      <translation>Offline (will sync automatically once online)</translation>
    </message>
    <message>
      <source>立即同步</source>
      <translation>Sync now</translation>
    </message>
    <message>
      <source>签名无效：同步包可能被篡改，拒绝导入</source>
      <translation>Invalid signature: the sync bundle may have been tampered with; import refused</translation>
    </message>
    <message>
      <source>角色</source>
      <translation>Role</translation>
    </message>
    <message>
      <source>解压后的大小超出限制（{detail}），拒绝导入</source>
      <translation>Unpacked size exceeds the limit ({detail}); import refused</translation>
    </message>
    <message>
      <source>该同步包已于 {time} 导入，没有任何改动</source>
      <translation>This sync bundle was already imported on {time}; nothing was changed</translation>
    </message>
    <message>
      <source>该文件夹中没有同步包（*.jcb）</source>
      <translation>That folder holds no bundles (*.jcb)</translation>
    </message>
    <message>
      <source>请与 {peer} 当面或电话核对指纹：

{fingerprint}

指纹一致吗？</source>
      <translation>Please verify the fingerprint with {peer} in person or by phone:

{fingerprint}

Do the fingerprints match?</translation>
    </message>
    <message>
      <source>请先在下方信任对方的公钥文件。</source>
      <translation>First trust the other party's public key file below.</translation>
    </message>
    <message>
      <source>请先用管理员发放的接入码接入服务器。</source>
      <translation>First connect to the server with the access code from your administrator.</translation>
    </message>
    <message>
      <source>请通过电话或当面与对方核对指纹，完全一致后再信任。信任并导入？</source>
      <translation>Compare the fingerprint with the sender's by phone or in person, and trust only if it matches exactly. Trust and import?</translation>
    </message>
    <message>
      <source>这不是基层的公钥文件</source>
      <translation>This is not a Jiceng public key file</translation>
    </message>
    <message>
      <source>这不是基层的同步包</source>
      <translation>This is not a Jiceng sync bundle</translation>
    </message>
    <message>
      <source>这不是基层的数据备份，未做任何改动</source>
      <translation>This is not a Jiceng backup; nothing was changed</translation>
    </message>
    <message>
      <source>这个同步包不是发给本机的，拒绝导入</source>
      <translation>This sync bundle is not addressed to this computer; import refused</translation>
    </message>
    <message>
      <source>这个备份属于另一台设备（{detail}），不能恢复到本数据目录，未做任何改动</source>
      <translation>This backup belongs to another device ({detail}) and cannot be restored into this data folder; nothing was changed</translation>
    </message>
    <message>
      <source>这个接入码是发给另一种设备的（驻点干部的电脑和区(县)总工会的电脑各用各的接入码）：请联系管理员，按本机的角色发放接入码</source>
      <translation>This enrollment code is for another kind of device (a stationed cadre's computer and a district (county) union office's computer each need their own kind of code). Please ask the administrator for a code for this computer's role</translation>
    </message>
    <message>
      <source>这是一个较旧的同步包：同一发送方更新的同步包已于 {detail} 导入，其中的变更本机都已收到，无需再导入</source>
      <translation>This is an older sync bundle: a newer one from the same sender was imported on {detail}, and every change in it is already here; nothing to import</translation>
    </message>
    <message>
      <source>这是本机自己导出的同步包，不需要导入</source>
      <translation>This sync bundle was exported by this computer; no need to import it</translation>
    </message>
    <message>
      <source>这是本机自己的公钥，无需信任</source>
      <translation>This is this computer's own public key: there is nothing to trust</translation>
    </message>
    <message>
      <source>连接状态</source>
      <translation>Connection status</translation>
    </message>
    <message>
      <source>选择存放同步包的文件夹</source>
      <translation>Choose the folder holding the bundles</translation>
    </message>
    <message>
      <source>选择对方的公钥文件</source>
      <translation>Choose the other party's public key file</translation>
    </message>
    <message>
      <source>重新发送被拒收的变更</source>
      <translation>Send refused changes again</translation>
    </message>
    <message>
      <source>需要口令：没有口令不能打开或创建数据文件（数据始终加密保存）</source>
      <translation>A passphrase is required: data files cannot be opened or created without one (data is always stored encrypted)</translation>
    </message>
    <message>
      <source>（无）</source>
      <translation>(none)</translation>
    </message>
  </context>
  <context>
    <name>Unlock</name>
    <message>
      <source>{folder} 中没有基层数据文件</source>
      <translation>{folder} holds no Jiceng data file</translation>
    </message>
    <message>
      <source>口令</source>
      <translation>Passphrase</translation>
    </message>
    <message>
      <source>在本机系统钥匙串中记住口令</source>
      <translation>Remember the passphrase in this computer's system keyring</translation>
    </message>
    <message>
      <source>打开</source>
      <translation>Open</translation>
    </message>
    <message>
      <source>打开其他数据目录…</source>
      <translation>Open another data folder…</translation>
    </message>
    <message>
      <source>打开数据</source>
      <translation>Open data</translation>
    </message>
    <message>
      <source>数据目录：{folder}</source>
      <translation>Data folder: {folder}</translation>
    </message>
    <message>
      <source>正在打开…</source>
      <translation>Opening…</translation>
    </message>
    <message>
      <source>请输入口令</source>
      <translation>Enter the passphrase</translation>
    </message>
    <message>
      <source>退出</source>
      <translation>Quit</translation>
    </message>
    <message>
      <source>选择数据目录</source>
      <translation>Choose a data folder</translation>
    </message>
  </context>
  <context>
    <name>labels</name>
    <message>
      <source>一般</source>
      <translation>Normal</translation>
    </message>
    <message>
      <source>上级工会补助</source>
      <translation>Higher-level union subsidy</translation>
    </message>
    <message>
      <source>上门回访</source>
      <translation>Home visit</translation>
    </message>
    <message>
      <source>不予受理</source>
      <translation>Declined</translation>
    </message>
    <message>
      <source>不满意</source>
      <translation>Dissatisfied</translation>
    </message>
    <message>
      <source>企业配套</source>
      <translation>Enterprise matching</translation>
    </message>
    <message>
      <source>入会动员</source>
      <translation>Membership drive</translation>
    </message>
    <message>
      <source>其他</source>
      <translation>Other</translation>
    </message>
    <message>
      <source>办理中</source>
      <translation>In progress</translation>
    </message>
    <message>
      <source>办理记录</source>
      <translation>Handling note</translation>
    </message>
    <message>
      <source>办结</source>
      <translation>Resolve</translation>
    </message>
    <message>
      <source>助学</source>
      <translation>Education aid</translation>
    </message>
    <message>
      <source>劳动合同</source>
      <translation>Labour contract</translation>
    </message>
    <message>
      <source>劳动安全卫生</source>
      <translation>Occupational safety and health</translation>
    </message>
    <message>
      <source>区(县)总工会</source>
      <translation>District (county) union office</translation>
    </message>
    <message>
      <source>医疗救助</source>
      <translation>Medical aid</translation>
    </message>
    <message>
      <source>受理</source>
      <translation>Accept</translation>
    </message>
    <message>
      <source>基本满意</source>
      <translation>Fairly satisfied</translation>
    </message>
    <message>
      <source>女</source>
      <translation>Female</translation>
    </message>
    <message>
      <source>就业帮扶</source>
      <translation>Employment assistance</translation>
    </message>
    <message>
      <source>工会经费</source>
      <translation>Union funds</translation>
    </message>
    <message>
      <source>工时与休假</source>
      <translation>Working hours and leave</translation>
    </message>
    <message>
      <source>工资报酬/欠薪</source>
      <translation>Pay / wage arrears</translation>
    </message>
    <message>
      <source>已上报</source>
      <translation>Reported</translation>
    </message>
    <message>
      <source>已办结</source>
      <translation>Resolved</translation>
    </message>
    <message>
      <source>已受理</source>
      <translation>Accepted</translation>
    </message>
    <message>
      <source>已回访</source>
      <translation>Followed up</translation>
    </message>
    <message>
      <source>已推广</source>
      <translation>Promoted</translation>
    </message>
    <message>
      <source>已收集</source>
      <translation>Collected</translation>
    </message>
    <message>
      <source>已登记</source>
      <translation>Registered</translation>
    </message>
    <message>
      <source>已转办</source>
      <translation>Referred</translation>
    </message>
    <message>
      <source>市总工会服务器</source>
      <translation>City federation server</translation>
    </message>
    <message>
      <source>座谈会</source>
      <translation>Forum</translation>
    </message>
    <message>
      <source>座谈回访</source>
      <translation>Meeting</translation>
    </message>
    <message>
      <source>建档</source>
      <translation>On file</translation>
    </message>
    <message>
      <source>开始办理</source>
      <translation>Start handling</translation>
    </message>
    <message>
      <source>意外致困</source>
      <translation>Hardship from an accident</translation>
    </message>
    <message>
      <source>意见建议</source>
      <translation>Suggestions</translation>
    </message>
    <message>
      <source>慰问</source>
      <translation>Caring visit</translation>
    </message>
    <message>
      <source>慰问金</source>
      <translation>Solace money</translation>
    </message>
    <message>
      <source>技能培训</source>
      <translation>Skills training</translation>
    </message>
    <message>
      <source>指派</source>
      <translation>Assignment</translation>
    </message>
    <message>
      <source>政策宣讲</source>
      <translation>Policy briefing</translation>
    </message>
    <message>
      <source>无</source>
      <translation>None</translation>
    </message>
    <message>
      <source>来信</source>
      <translation>Letter</translation>
    </message>
    <message>
      <source>来电</source>
      <translation>Phone call</translation>
    </message>
    <message>
      <source>来访</source>
      <translation>Walk-in</translation>
    </message>
    <message>
      <source>注销</source>
      <translation>Closed</translation>
    </message>
    <message>
      <source>深度困难</source>
      <translation>Severe hardship</translation>
    </message>
    <message>
      <source>满意</source>
      <translation>Satisfied</translation>
    </message>
    <message>
      <source>物资</source>
      <translation>Goods</translation>
    </message>
    <message>
      <source>状态变更</source>
      <translation>Status change</translation>
    </message>
    <message>
      <source>班组</source>
      <translation>Team</translation>
    </message>
    <message>
      <source>生活困难</source>
      <translation>Hardship in daily life</translation>
    </message>
    <message>
      <source>电话回访</source>
      <translation>Phone call</translation>
    </message>
    <message>
      <source>男</source>
      <translation>Male</translation>
    </message>
    <message>
      <source>登记回访</source>
      <translation>Record follow-up</translation>
    </message>
    <message>
      <source>相对困难</source>
      <translation>Relative hardship</translation>
    </message>
    <message>
      <source>社会保险</source>
      <translation>Social insurance</translation>
    </message>
    <message>
      <source>社会捐助</source>
      <translation>Public donations</translation>
    </message>
    <message>
      <source>紧急</source>
      <translation>Urgent</translation>
    </message>
    <message>
      <source>网络</source>
      <translation>Online</translation>
    </message>
    <message>
      <source>脱困</source>
      <translation>Out of hardship</translation>
    </message>
    <message>
      <source>调研走访</source>
      <translation>Research visit</translation>
    </message>
    <message>
      <source>谈心谈话</source>
      <translation>Heart-to-heart talk</translation>
    </message>
    <message>
      <source>走访</source>
      <translation>Visit</translation>
    </message>
    <message>
      <source>车间</source>
      <translation>Workshop</translation>
    </message>
    <message>
      <source>转办</source>
      <translation>Refer</translation>
    </message>
    <message>
      <source>较急</source>
      <translation>Fairly urgent</translation>
    </message>
    <message>
      <source>部门</source>
      <translation>Department</translation>
    </message>
    <message>
      <source>重新办理</source>
      <translation>Reopen</translation>
    </message>
    <message>
      <source>重新受理</source>
      <translation>Reconsider</translation>
    </message>
    <message>
      <source>驻点干部</source>
      <translation>Stationed cadre</translation>
    </message>
  </context>
</TS>
