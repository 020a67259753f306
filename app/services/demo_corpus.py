"""Chinese text for demo data: names, enterprises, cases, visits, help, practices.

Plain functions over precomputed tuples, driven by a ``random.Random`` the caller seeds, so the
demo is reproducible and fast (the generator calls these hundreds of thousands of times).
Templates use ``str.format`` slots filled from small pools, which gives thousands of distinct
texts per category without a large file.
"""

from __future__ import annotations

import random

# ---- people --------------------------------------------------------------------------------

_SURNAMES = tuple(
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
    "薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段钱汤尹黎易常武"
)
_SURNAME_WEIGHTS = tuple(max(1, 40 - i // 3) for i in range(len(_SURNAMES)))
_COMPOUND = ("欧阳", "司马", "上官", "诸葛", "东方")
_MALE = tuple("伟强磊军勇杰涛明超斌鹏辉刚健波建国峰平东海亮宇浩凯俊晨阳华飞龙林志文")
_FEMALE = tuple("芳娜敏静丽艳娟霞秀英玲桂兰萍红燕琳婷雪慧颖倩梅莉洁佳欣怡晶丹璐月")
_MIDDLE = tuple("小晓春秋永建志海立红金玉国德文明新")

POSITIONS = (
    "操作工",
    "焊工",
    "质检员",
    "叉车司机",
    "保洁员",
    "厨师",
    "快递员",
    "车间主任",
    "装配工",
    "电工",
    "仓管员",
    "班组长",
    "缝纫工",
    "包装工",
    "安全员",
    "设备维修工",
    "保安",
    "服务员",
    "收银员",
    "配送员",
    "技术员",
    "统计员",
)


def person_name(rng: random.Random) -> tuple[str, str]:
    """A full name and its gender ("男"/"女")."""
    gender = "男" if rng.random() < 0.55 else "女"
    surname = rng.choice(_COMPOUND) if rng.random() < 0.01 else _surname(rng)
    pool = _MALE if gender == "男" else _FEMALE
    given = rng.choice(pool) if rng.random() < 0.3 else rng.choice(_MIDDLE) + rng.choice(pool)
    return surname + given, gender


def _surname(rng: random.Random) -> str:
    return rng.choices(_SURNAMES, weights=_SURNAME_WEIGHTS)[0]


def cadre_name(rng: random.Random) -> str:
    return person_name(rng)[0]


POSITIONS_BY_INDUSTRY: dict[str, tuple[str, ...]] = {
    "制造业": ("操作工", "焊工", "质检员", "装配工", "电工", "设备维修工", "仓管员", "班组长",
             "包装工", "安全员", "叉车司机", "技术员", "统计员", "缝纫工"),
    "建筑业": ("钢筋工", "木工", "架子工", "电工", "焊工", "施工员", "安全员", "材料员", "班组长"),
    "批发和零售业": ("收银员", "理货员", "导购员", "仓管员", "配送员", "店长", "保洁员"),
    "交通运输、仓储和邮政业": ("快递员", "分拣员", "驾驶员", "仓管员", "调度员", "叉车司机"),
    "住宿和餐饮业": ("厨师", "服务员", "收银员", "客房服务员", "前台接待", "保洁员", "配菜员"),
    "信息传输、软件和信息技术服务业": ("软件工程师", "测试工程师", "运维工程师", "客服专员",
                                     "产品经理", "技术员"),
    "居民服务、修理和其他服务业": ("家政服务员", "汽车维修工", "洗涤工", "保洁员", "维修电工"),
    "租赁和商务服务业": ("保安员", "物业维修工", "保洁员", "客服专员", "人事专员", "秩序维护员"),
}  # fmt: skip


def positions(rng: random.Random, industry: str | None = None) -> str:
    """A job title; one the industry has, when it is given."""
    return rng.choice(POSITIONS_BY_INDUSTRY.get(industry or "", POSITIONS))


# ---- enterprises ---------------------------------------------------------------------------

_TRADE_NAMES = tuple(
    [
        "宏达",
        "恒远",
        "金陵",
        "华泰",
        "永兴",
        "鑫源",
        "瑞丰",
        "天成",
        "汇通",
        "博远",
        "中联",
        "新华",
        "嘉禾",
        "联创",
        "明辉",
        "盛达",
        "宝丰",
        "华润",
        "东方",
        "长江",
        "扬子",
        "紫金",
        "钟山",
        "秦淮",
        "富康",
        "安泰",
        "正大",
        "海纳",
        "卓越",
        "远航",
        "万通",
        "兴业",
        "同创",
        "诚信",
        "隆基",
        "祥和",
        "凯瑞",
        "佳美",
        "德润",
        "顺发",
        "宁丰",
        "锦程",
        "华宇",
        "众诚",
        "旭日",
        "国泰",
        "润泽",
        "康达",
        "天合",
        "银河",
        "方正",
        "星火",
        "晨光",
        "信达",
        "合力",
        "金鹏",
        "华光",
        "立信",
        "鼎盛",
        "泰和",
    ]
)
_INDUSTRY_WORDS: dict[str, tuple[str, ...]] = {
    "制造业": (
        "精密机械",
        "汽车零部件",
        "电子科技",
        "纺织",
        "服装",
        "化工",
        "建材",
        "印刷包装",
        "食品",
        "家具",
        "医疗器械",
        "新材料",
    ),
    "建筑业": ("建设工程", "建筑安装", "装饰工程", "市政工程"),
    "批发和零售业": ("商贸", "超市", "医药连锁", "百货"),
    "交通运输、仓储和邮政业": ("物流", "快递", "运输", "仓储服务"),
    "住宿和餐饮业": ("餐饮管理", "酒店管理", "快餐"),
    "信息传输、软件和信息技术服务业": ("软件", "信息技术", "网络科技"),
    "居民服务、修理和其他服务业": ("家政服务", "汽车维修", "洗涤服务"),
    "租赁和商务服务业": ("物业服务", "人力资源", "保安服务"),
}
INDUSTRIES = tuple(_INDUSTRY_WORDS)
_INDUSTRY_WEIGHTS = (40, 10, 10, 12, 10, 6, 6, 6)
_FORMS = ("有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司")


def enterprise_profile(rng: random.Random, city: str = "南京") -> tuple[str, str]:
    """(name, industry), consistent with each other."""
    industry = rng.choices(INDUSTRIES, weights=_INDUSTRY_WEIGHTS)[0]
    prefix = city if rng.random() < 0.7 else "江苏"
    word = rng.choice(_INDUSTRY_WORDS[industry])
    return f"{prefix}{rng.choice(_TRADE_NAMES)}{word}{rng.choice(_FORMS)}", industry


def enterprise_name(rng: random.Random, city: str = "南京") -> str:
    return enterprise_profile(rng, city)[0]


_ROADS = tuple(
    [
        "中山北路",
        "中山南路",
        "汉中路",
        "虎踞路",
        "北京西路",
        "广州路",
        "湖南路",
        "草场门大街",
        "定淮门大街",
        "江东北路",
        "建宁路",
        "热河路",
        "福建路",
        "宁海路",
        "龙江路",
        "清凉门大街",
        "凤凰西街",
        "模范马路",
        "幕府西路",
        "小市街",
    ]
)
_PARKS = ("幕府创新园", "科技创业园", "建宁路科技园", "都市产业园")


def area_of(union: str, default: str = "鼓楼区") -> str:
    """The place a union is named for (鼓楼区总工会 → 鼓楼区): enterprises stand there, not at
    the union's office, so an address is never the union's own name."""
    for suffix in ("总工会", "工会"):
        if union.endswith(suffix):
            union = union[: -len(suffix)]
    if not union or union.startswith("本") or not union.endswith(("区", "县", "市")):
        return default
    return union


def address(rng: random.Random, district: str = "鼓楼区", city: str = "南京市") -> str:
    """A street address (or an industrial park's building) in ``district`` of ``city``."""
    if rng.random() < 0.2:
        return f"{city}{district}{rng.choice(_PARKS)}{rng.randint(1, 30)}栋"
    tail = f"{rng.randint(1, 999)}号"
    if rng.random() < 0.3:
        tail += f"{rng.randint(1, 20)}栋{rng.randint(101, 1808)}室"
    return f"{city}{district}{rng.choice(_ROADS)}{tail}"


UNITS_BY_INDUSTRY: dict[str, tuple[str, ...]] = {
    "制造业": ("冲压车间", "焊装车间", "总装车间", "涂装车间", "机加工车间", "包装车间",
             "装配车间", "注塑车间", "质检班组", "设备维修班组", "仓储班组", "物流班组",
             "一车间", "二车间", "三车间"),
    "建筑业": ("第一项目部", "第二项目部", "钢筋班组", "木工班组", "混凝土班组", "架子工班组",
             "机电安装班组", "安全质量部", "材料设备部", "工程技术部"),
    "批发和零售业": ("门店一组", "门店二组", "生鲜部", "收银班组", "仓储部", "配送班组",
                   "客服中心", "采购部", "财务部"),
    "交通运输、仓储和邮政业": ("分拣中心", "司机班", "仓储部", "配送一组", "配送二组",
                            "调度中心", "客服中心", "车辆维修班组", "安保部"),
    "住宿和餐饮业": ("前厅部", "客房部", "后厨班组", "餐饮部", "保洁班组", "安保部",
                   "工程维修班组", "财务部"),
    "信息传输、软件和信息技术服务业": ("研发一部", "研发二部", "测试部", "运维中心",
                                     "客服中心", "产品部", "行政人事部"),
    "居民服务、修理和其他服务业": ("家政服务一组", "家政服务二组", "维修班组", "洗涤车间",
                                 "客服中心", "培训部"),
    "租赁和商务服务业": ("保安一队", "保安二队", "保洁班组", "工程维修班组", "客服中心",
                       "项目管理部", "人事行政部"),
}  # fmt: skip


def workshop_names(rng: random.Random, industry: str, n: int) -> list[str]:
    """``n`` distinct unit names an enterprise of the industry has."""
    pool = UNITS_BY_INDUSTRY.get(industry, UNITS_BY_INDUSTRY["制造业"])
    names = rng.sample(pool, min(n, len(pool)))
    i = 1
    while len(names) < n:
        extra = f"第{i}班组"
        if extra not in names:
            names.append(extra)
        i += 1
    return names


# ---- cases ---------------------------------------------------------------------------------

_ISSUE_TEXTS: dict[str, tuple[tuple[str, str], ...]] = {
    "工资报酬/欠薪": (
        (
            "反映{m}个月工资拖欠",
            "职工反映{unit}自今年{month}月起工资延迟发放，已累计拖欠{m}个月，涉及金额约{amount}元，家庭生活受到影响，希望工会协调尽快发放。",
        ),
        (
            "加班费未按规定支付",
            "{unit}职工反映近{m}个月每周加班{h}小时以上，企业未按规定支付加班费，要求补发。",
        ),
        (
            "高温津贴未发放",
            "职工反映今年夏季在{unit}高温作业，企业未按规定发放高温津贴，询问发放标准和途径。",
        ),
        (
            "绩效工资扣发不合理",
            "职工反映{unit}绩效考核办法未经民主程序，{month}月绩效工资被扣发{amount}元，认为不合理。",
        ),
        (
            "工资低于最低工资标准",
            "{unit}部分职工反映扣除社保后实发工资低于本市最低工资标准，要求企业依法调整。",
        ),
        (
            "离职后工资未结清",
            "职工反映已于{month}月离职，企业至今未结清最后{m}个月工资约{amount}元。",
        ),
    ),
    "社会保险": (
        ("社保未缴纳", "职工反映入职{m}个月企业一直未为其缴纳社会保险，担心影响看病报销和养老。"),
        (
            "社保缴费基数偏低",
            "{unit}职工反映企业按最低基数缴纳社会保险，与实际工资不符，要求按实缴纳。",
        ),
        (
            "工伤认定申请受阻",
            "职工在{unit}作业时受伤，企业不愿申请工伤认定，职工咨询如何自行申请。",
        ),
        ("医保断缴影响报销", "职工反映企业{month}月起社保断缴，住院费用无法报销，要求企业补缴。"),
        ("生育保险待遇未落实", "女职工反映休产假期间生育津贴未按规定发放，咨询办理流程。"),
    ),
    "劳动合同": (
        ("未签劳动合同", "职工反映入职已{m}个月，企业一直未签劳动合同，担心权益得不到保障。"),
        (
            "劳动合同到期不续签",
            "{unit}职工反映劳动合同即将到期，企业口头通知不再续签，未说明理由也未提补偿。",
        ),
        (
            "被要求签订空白合同",
            "新入职职工反映企业要求签订空白劳动合同，内容由企业事后填写，询问是否合法。",
        ),
        ("调岗降薪未协商", "职工反映企业未经协商将其从{unit}调至其他岗位并降低工资{amount}元。"),
        ("违法解除劳动合同", "职工反映企业以经营困难为由口头辞退，未支付经济补偿，要求依法处理。"),
    ),
    "劳动安全卫生": (
        (
            "防护用品配备不足",
            "{unit}职工反映企业未按规定配发防护用品，口罩、手套等需自行购买，存在安全隐患。",
        ),
        (
            "职业病体检未安排",
            "{unit}职工长期接触粉尘和噪声，企业{m}年未安排职业病体检，职工担心健康。",
        ),
        ("车间通风条件差", "职工反映{unit}夏季温度高、通风差，已有职工中暑，要求改善作业环境。"),
        ("设备安全防护缺失", "{unit}部分设备防护罩缺失，职工担心发生机械伤害，要求企业整改。"),
        ("消防通道被占用", "职工反映{unit}消防通道长期堆放货物，存在重大安全隐患。"),
    ),
    "工时与休假": (
        (
            "长期加班休息不足",
            "{unit}职工反映近{m}个月每天工作{h}小时，每月仅休息{d}天，身体吃不消。",
        ),
        ("年休假无法落实", "职工反映工作已满{m}年，企业从未安排带薪年休假，也未支付补偿。"),
        ("综合工时制未经审批", "职工反映企业实行综合工时制，但未经劳动部门审批，加班无法计算。"),
        ("婚假产假被压缩", "职工反映申请婚假时企业只批{d}天，低于规定天数。"),
        ("夜班频繁影响健康", "{unit}职工反映连续上夜班{d}周未轮换，要求合理排班。"),
    ),
    "生活困难": (
        (
            "家庭困难申请帮扶",
            "职工反映{relative}患重病住院，医疗费用已花费{amount}元，家庭生活困难，申请困难帮扶。",
        ),
        ("子女上学费用困难", "职工反映{relative}今年考上大学，学费和生活费压力大，申请助学帮扶。"),
        ("住房困难求助", "职工反映家中房屋老旧漏雨，收入微薄无力修缮，希望得到帮助。"),
        ("因病致贫申请救助", "职工本人确诊慢性病，长期服药，每月药费约{amount}元，生活困难。"),
        ("单亲家庭生活困难", "职工为单亲家庭，独自抚养{relative}，收入较低，申请建档帮扶。"),
    ),
    "技能培训": (
        (
            "希望参加技能培训",
            "{unit}职工希望参加{skill}技能培训并取得等级证书，询问工会有无培训项目。",
        ),
        (
            "培训费用被要求自付",
            "职工反映企业安排的{skill}培训费用{amount}元要求职工自付，认为不合理。",
        ),
        ("技能等级认定咨询", "职工咨询{skill}职业技能等级认定的报名条件和补贴政策。"),
        ("服务期约定争议", "职工反映企业要求签订{m}年服务期协议，否则需赔偿培训费。"),
        ("转岗培训需求", "{unit}因设备升级部分岗位调整，职工希望企业组织转岗培训。"),
    ),
    "意见建议": (
        ("建议改善职工食堂", "职工建议改善食堂饭菜质量，增加夜班餐，降低价格。"),
        ("建议增设职工休息室", "{unit}职工建议增设休息室和饮水点，方便工间休息。"),
        ("建议开展文体活动", "青年职工建议工会多组织篮球、羽毛球等文体活动，丰富业余生活。"),
        ("建议设立母婴室", "女职工建议企业设立母婴室，方便哺乳期女职工。"),
        ("建议完善班车线路", "职工建议增加{unit}夜班下班后的班车线路。"),
    ),
    "其他": (
        ("咨询入会手续", "职工咨询加入工会的条件和手续，以及会员可享受的服务。"),
        ("反映管理人员态度粗暴", "{unit}职工反映个别管理人员工作方式简单粗暴，经常训斥职工。"),
        ("咨询法律援助", "职工家中遇到民事纠纷，咨询工会能否提供法律援助。"),
        ("反映厂区周边交通拥堵", "职工反映上下班时段厂区门口交通拥堵，存在安全隐患。"),
        ("咨询公积金缴存", "职工咨询企业未缴住房公积金如何处理。"),
    ),
}
_RELATIVES = ("配偶", "父亲", "母亲", "儿子", "女儿", "孩子")
_SKILLS = ("焊工", "电工", "叉车", "数控车床", "育婴员", "中式烹调", "电子商务", "工业机器人操作")


def _values(rng: random.Random, unit: str) -> dict[str, object]:
    """One draw of the numbers and words a case's title and description share (the title's
    "3个月" is the description's "3个月")."""
    return {
        "m": rng.randint(2, 6),
        "month": rng.randint(1, 12),
        "amount": rng.randrange(2, 300) * 100,
        "h": rng.randint(10, 14),
        "d": rng.randint(2, 5),
        "unit": unit,
        "relative": rng.choice(_RELATIVES),
        "skill": rng.choice(_SKILLS),
    }


def issue_text(rng: random.Random, category: str, unit: str = "所在部门") -> tuple[str, str]:
    """(title, description) typical of the category's label; ``unit`` is the workshop or
    department the case comes from (its own, so a kitchen never files a stamping case)."""
    title, description = rng.choice(_ISSUE_TEXTS.get(category, _ISSUE_TEXTS["其他"]))
    values = _values(rng, unit)
    return title.format(**values), description.format(**values)


_RESOLUTIONS = (
    "经协调，企业已于{month}月{day}日补发相关款项，职工表示认可。",
    "经工会与企业人事部门沟通，企业同意整改，并于{month}月底前落实到位。",
    "已会同劳动监察部门督促企业依法整改，企业已按要求执行。",
    "经调解，双方达成一致意见，签订调解协议并履行完毕。",
    "企业已按规定补签劳动合同并补缴社会保险。",
    "已为职工提供政策解答和法律咨询，职工表示清楚。",
)
_DECLINES = (
    "不属于工会职责范围，已告知职工向相关部门反映",
    "该事项已进入劳动仲裁程序，工会不再重复受理",
    "诉求内容不明确且多次联系未果",
    "反映事项已由法院判决，无新的事实和理由",
)
DEPARTMENTS = (
    "人社局劳动保障监察大队",
    "劳动人事争议仲裁委员会",
    "医保局",
    "应急管理局",
    "法律援助中心",
    "街道办事处",
    "区总工会法律服务站",
    "住建局",
)
_PROGRESS = (
    "已与企业人事部门沟通，等待企业书面答复。",
    "已约谈企业负责人，企业承诺尽快研究解决。",
    "已收集职工工资条和考勤记录等材料。",
    "已电话回复职工，告知办理进度。",
    "已联系区总工会法律服务站提供咨询。",
    "走访车间核实情况，与班组长和职工代表座谈。",
)
_FOLLOWUPS = {
    "满意": ("回访职工，对办理结果表示满意。", "电话回访，职工表示问题已解决，感谢工会。"),
    "基本满意": (
        "回访职工，认为问题基本解决，仍希望企业长期落实。",
        "职工对结果基本满意，建议继续关注。",
    ),
    "不满意": (
        "回访职工，对处理结果不满意，认为补偿偏低。",
        "职工表示问题未彻底解决，要求继续跟进。",
    ),
}


def resolution_text(rng: random.Random, category: str) -> str:
    return rng.choice(_RESOLUTIONS).format(month=rng.randint(1, 12), day=rng.randint(1, 28))


def decline_reason(rng: random.Random) -> str:
    return rng.choice(_DECLINES)


def referral_department(rng: random.Random) -> str:
    return rng.choice(DEPARTMENTS)


def progress_note(rng: random.Random) -> str:
    return rng.choice(_PROGRESS)


def followup_note(rng: random.Random, satisfaction: str) -> str:
    return rng.choice(_FOLLOWUPS.get(satisfaction, _FOLLOWUPS["基本满意"]))


# ---- visits, help, practices ---------------------------------------------------------------

_VISIT_TEXTS: dict[str, tuple[str, ...]] = {
    "调研走访": (
        "到{unit}实地了解生产经营和职工工资发放情况，与{n}名职工交流。",
        "走访{unit}，了解劳动合同签订和社会保险缴纳情况。",
    ),
    "座谈会": (
        "召开职工代表座谈会，{n}名职工代表参加，围绕工资待遇和劳动保护提出意见。",
        "与企业管理层和职工代表座谈，协商{unit}作息时间调整。",
    ),
    "谈心谈话": (
        "与{unit}职工谈心谈话，了解其思想状况和家庭困难。",
        "与新入职职工谈心，介绍工会组织和会员权益。",
    ),
    "政策宣讲": (
        "在{unit}开展劳动法律法规宣讲，发放宣传资料{n}份。",
        "宣讲最低工资标准和高温津贴政策，现场解答职工问题。",
    ),
    "入会动员": (
        "在{unit}开展入会动员，现场登记新会员{n}名。",
        "向灵活就业人员宣传入会政策，介绍会员服务。",
    ),
    "慰问": (
        "走访慰问困难职工家庭，送去慰问金和生活用品。",
        "节日期间慰问一线职工，送去清凉用品{n}份。",
    ),
}
_FINDINGS = (
    "部分职工反映加班较多。",
    "个别班组劳动防护用品不足。",
    "有职工反映工资发放不及时。",
    "新入职职工劳动合同签订滞后。",
    "",
)
_FOLLOW = ("下周与企业人事部门沟通。", "跟进整改落实情况。", "将情况报区总工会。", "")


def visit_text(
    rng: random.Random, kind: str, unit: str = "一线岗位", reached: int = 0
) -> tuple[str, str, str, int | None]:
    """(summary, findings, follow_ups, people): the last two texts may be empty; ``people``
    is the number of people the summary says were met (at least ``reached``, the workers
    named on the visit), or None when it names no number of people."""
    summary = rng.choice(_VISIT_TEXTS.get(kind, _VISIT_TEXTS["调研走访"]))
    n = rng.randint(max(3, reached), max(12, reached + 10))
    filled = summary.format(unit=unit, n=n)
    people = n if ("{n}名" in summary) else None
    return filled, rng.choice(_FINDINGS), rng.choice(_FOLLOW), people


_HARDSHIP = (
    "本人重病，长期治疗",
    "子女就学负担重",
    "家庭成员残疾",
    "单亲家庭，独自抚养子女",
    "因灾导致家庭财产损失",
    "配偶失业，家庭收入低",
    "赡养多位老人负担重",
)


def hardship_reason(rng: random.Random) -> str:
    return rng.choice(_HARDSHIP)


def assistance_note(rng: random.Random, kind: str) -> str:
    notes = {
        "慰问金": "春节送温暖慰问金",
        "物资": "米、油等生活物资",
        "助学": "金秋助学",
        "医疗救助": "大病医疗救助",
        "就业帮扶": "推荐转岗培训和就业岗位",
    }
    return notes.get(kind, "帮扶慰问") + ("，已入户" if rng.random() < 0.5 else "")


_PRACTICES = (
    (
        "“职工说事”微信群快速响应诉求",
        "在企业建立“职工说事”微信群，驻点干部每天查看并回复，"
        "一般诉求当天答复、复杂诉求一周内反馈，全年收集诉求{n}件，办结率明显提高。",
    ),
    (
        "班组长兼任工会小组长",
        "推动班组长兼任工会小组长，把诉求收集延伸到班组，问题发现更早，{teams}个车间班组实现全覆盖。",
    ),
    (
        "工资支付月报制度",
        "协调企业每月向工会通报工资支付情况，提前发现拖欠苗头，有效预防了欠薪问题。",
    ),
    (
        "困难职工“一户一档”",
        "对困难职工逐户建立档案，明确帮扶责任人，每季度走访一次，全年帮扶{households}户。",
    ),
    ("“午间课堂”政策宣讲", "利用午休时间在车间开展十分钟政策宣讲，职工参与度高，累计开展{n}场。"),
)


def practice_text(rng: random.Random, teams: int = 5, households: int = 3) -> tuple[str, str]:
    """(title, content); the counts it states fit the enterprise: ``teams`` workshops and
    teams, ``households`` hardship households."""
    title, content = rng.choice(_PRACTICES)
    return title, content.format(n=rng.randint(5, 40), teams=teams, households=households)
