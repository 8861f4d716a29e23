import type { SeededRandom } from './seeded-random.js';

/*
 * Made-up news prose from a word list written for the bench (no sentence is
 * taken from any article). Words are roughly ordered from common to rare so
 * that pickSkewed gives text whose character frequencies look like news:
 * function words everywhere, names and places now and then.
 */
const FUNCTION_WORDS = ['的', '在', '和', '是', '对', '了', '与', '也', '将', '已经', '表示', '认为', '指出', '就', '但', '并', '被', '从', '向', '等'];

const NOUNS = [
  '政府', '官员', '民众', '记者', '报道', '消息', '问题', '经济', '社会', '国家', '地区', '城市', '部门', '法院', '警方',
  '总统', '总理', '外交部', '议会', '选举', '政策', '协议', '会议', '声明', '调查', '事件', '抗议', '示威者', '学生', '企业',
  '市场', '投资', '贸易', '关税', '能源', '气候', '疫情', '医院', '学校', '军队', '边境', '难民', '移民', '人权', '媒体',
  '网络', '平台', '审查', '言论', '自由', '法律', '法规', '制度', '改革', '发展', '合作', '伙伴', '盟友', '对手', '代表团',
  '村民', '农民', '工人', '律师', '专家', '学者', '分析人士', '发言人', '委员会', '联合国', '欧盟', '北约', '央行', '股市',
  '房地产', '债务', '失业率', '通胀', '预算', '基础设施', '铁路', '港口', '矿产', '电动车', '芯片', '科技', '人工智能', '数据',
  '卫星', '导弹', '演习', '舰艇', '台风', '地震', '洪水', '干旱', '粮食', '春耕', '承包地', '补贴', '养老金', '医保', '教育',
];

const VERBS = [
  '宣布', '发布', '批评', '支持', '反对', '呼吁', '要求', '承认', '否认', '证实', '强调', '警告', '讨论', '签署', '推动',
  '限制', '加强', '扩大', '减少', '恢复', '暂停', '调整', '审议', '通过', '拒绝', '逮捕', '起诉', '释放', '访问', '会见',
  '举行', '参加', '组织', '报告', '公布', '回应', '质疑', '关注', '担忧', '保护', '提供', '获得', '失去', '面临', '应对',
];

const ADJECTIVES = ['重要', '严重', '紧张', '新的', '全面', '长期', '主要', '激烈', '罕见', '明显', '有效', '公开', '正式', '初步', '持续'];

const PLACES = [
  '北京', '上海', '香港', '台北', '广州', '深圳', '武汉', '成都', '新疆', '西藏', '内蒙古', '华盛顿', '纽约', '伦敦', '巴黎',
  '柏林', '东京', '首尔', '莫斯科', '基辅', '布鲁塞尔', '日内瓦', '新德里', '悉尼', '惠灵顿', '汉堡', '慕尼黑', '海牙', '曼谷', '河内',
];

const PEOPLE = [
  '张伟', '王芳', '李明', '刘洋', '陈静', '杨帆', '赵磊', '黄丽', '周强', '吴敏', '林志远', '何晓东', '郭海燕', '马文博', '孙立群',
];

const LATIN = ['Reuters', 'AFP', 'AP', 'G20', 'WHO', 'NGO', 'GDP', 'COVID-19', 'iPhone', 'TikTok', 'AI', 'EV', 'Mark', 'Anna', 'Berlin'];

const CLAUSE_END = ['，', '，', '，', '；', '、'];
const SENTENCE_END = ['。', '。', '。', '。', '？', '！'];

function phrase(rng: SeededRandom): string {
  switch (rng.int(0, 9)) {
    case 0:
      return `${rng.pick(PLACES)}${rng.pickSkewed(NOUNS)}`;
    case 1:
      return `${rng.pick(PEOPLE)}${rng.pick(FUNCTION_WORDS)}${rng.pickSkewed(VERBS)}`;
    case 2:
      return `“${rng.pickSkewed(ADJECTIVES)}${rng.pickSkewed(NOUNS)}”`;
    case 3:
      return `${rng.int(2, 2030)}${rng.pick(['年', '人', '万', '亿美元', '%', '个', '名'])}`;
    case 4:
      return `${rng.pickSkewed(NOUNS)}（${rng.pick(LATIN)}）`;
    default:
      return `${rng.pickSkewed(NOUNS)}${rng.pickSkewed(FUNCTION_WORDS)}${rng.pickSkewed(VERBS)}${rng.pickSkewed(ADJECTIVES)}${rng.pickSkewed(NOUNS)}`;
  }
}

export function chineseSentence(rng: SeededRandom): string {
  const clauses = rng.int(1, 4);
  let out = '';
  for (let i = 0; i < clauses; i += 1) {
    const words = rng.int(2, 4);
    for (let w = 0; w < words; w += 1) out += phrase(rng);
    out += i === clauses - 1 ? rng.pick(SENTENCE_END) : rng.pick(CLAUSE_END);
  }
  return out;
}

/** A paragraph of about `chars` characters (UTF-8: about 3 bytes each). */
export function chineseParagraph(rng: SeededRandom, chars: number): string {
  let out = '';
  while (out.length < chars) out += chineseSentence(rng);
  return out;
}

/** A headline: 10-30 characters, no final full stop, sometimes with a space as Chinese headlines have. */
export function chineseTitle(rng: SeededRandom): string {
  let out = `${rng.pick(PLACES)}${rng.pickSkewed(NOUNS)}${rng.pickSkewed(VERBS)}${rng.pickSkewed(NOUNS)}`;
  if (rng.chance(0.5)) out += ` ${rng.pickSkewed(NOUNS)}${rng.pickSkewed(VERBS)}“${rng.pickSkewed(ADJECTIVES)}${rng.pickSkewed(NOUNS)}”`;
  if (rng.chance(0.2)) out += `：${rng.pick(PEOPLE)}${rng.pickSkewed(VERBS)}${rng.pick(LATIN)}`;
  return out;
}

export function personName(rng: SeededRandom): string {
  return rng.pick(PEOPLE);
}
