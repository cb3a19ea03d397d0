"""Real producers of the forms plans are published in, made from the corpus's own plans.

- `plan_html`: an HTML rendering of a plan (headings, paragraphs, its tables as bordered tables);
- `print_pdf`: Chromium's headless print-to-PDF of that rendering (Debian's chromium; no download);
- `plan_docx`: a Word file written with python-docx (headings, paragraphs, tables in place);
- `gov_page`: the plan inside a government-site template (header, navigation, breadcrumbs,
  sidebar, related links, footer), as a browser's "save page" keeps it;
- `scanned_pdf`: a PDF of a picture of a page (what a scanner gives): no text layer.

The structure comes from the corpus parser (kg.corpus.parse_plan): headings, prose sentences grouped
back into the paragraphs of the source, and the tables with their rows of cells.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from pathlib import Path

from kg.corpus import Plan, heading_level

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _flat(text: str) -> str:
    """A paragraph of a plan with the line breaks a text conversion left removed."""
    return "".join(part.strip() for part in text.splitlines())


def plan_blocks(plan: Plan) -> list[tuple[str, object]]:
    """("title", text) | ("heading", (level, text)) | ("para", text) | ("table", rows of cell texts), in order."""
    items: list[tuple[int, str, object]] = []
    for table in plan.tables:
        rows = [[_flat(c.text) for c in row] for row in table.rows if any(c.text.strip() for c in row)]
        if rows:
            items.append((table.start, "table", rows))
    table_spans = [(t.start, t.end) for t in plan.tables]
    para: list[str] = []
    last_end = None
    blocks_prose: list[tuple[int, str, object]] = []
    para_start = 0

    def flush() -> None:
        if para:
            blocks_prose.append((para_start, "para", "".join(para)))
            para.clear()

    for s in plan.sentences:
        if s.kind == "table" or any(a <= s.start < b for a, b in table_spans):
            continue
        if s.kind == "heading":
            flush()
            level = heading_level(s.text)
            blocks_prose.append((s.start, "heading", (level if level is not None else 1, _flat(s.text).lstrip("# "))))
            last_end = s.end
            continue
        gap = plan.text[last_end:s.start] if last_end is not None else "\n"
        if "\n" in gap:
            flush()
            para_start = s.start
        para.append(_flat(s.text))
        last_end = s.end
    flush()
    items.extend(blocks_prose)
    items.sort(key=lambda it: it[0])
    return [("title", plan.meta.title)] + [(kind, value) for _, kind, value in items]


def _body_html(plan: Plan) -> str:
    out = []
    for kind, value in plan_blocks(plan):
        if kind == "title":
            out.append(f'<h1 class="title">{html.escape(value)}</h1>')
        elif kind == "heading":
            level, text = value
            tag = f"h{min(6, max(2, level + 1))}"
            out.append(f"<{tag}>{html.escape(text)}</{tag}>")
        elif kind == "para":
            out.append(f"<p>{html.escape(value)}</p>")
        else:
            rows = value
            head, *body = rows
            trs = ["<tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in head) + "</tr>"]
            trs += ["<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in body]
            out.append("<table>" + "".join(trs) + "</table>")
    return "\n".join(out)


PRINT_CSS = """
body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 15px; line-height: 1.7;
       margin: 0 8mm; }
h1.title { text-align: center; font-size: 22px; }
h2, h3, h4, h5 { font-size: 16px; font-weight: bold; margin: 10px 0 4px; }
p { text-indent: 2em; margin: 0; text-align: justify; }
table { border-collapse: collapse; margin: 8px 0; width: 100%; font-size: 12px; }
th, td { border: 1px solid #000; padding: 3px 4px; }
"""


def plan_html(plan: Plan) -> str:
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(plan.meta.title)}'
            f"</title><style>{PRINT_CSS}</style></head><body>{_body_html(plan)}</body></html>")


def print_pdf(page_html: str, target: Path, timeout: float = 120) -> Path:
    """Chromium's own print-to-PDF of `page_html` (A4, no header or footer)."""
    if CHROMIUM is None:
        raise RuntimeError("chromium is not installed (scripts/install_system_deps.sh installs it)")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "page.html"
        src.write_text(page_html, encoding="utf-8")
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer",
                        "--run-all-compositor-stages-before-draw",
                        f"--print-to-pdf={target}", src.as_uri()],
                       check=True, capture_output=True, timeout=timeout)
    return target


def screenshot(page_html: str, target: Path, size: str = "900,1200", timeout: float = 120) -> Path:
    if CHROMIUM is None:
        raise RuntimeError("chromium is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "page.html"
        src.write_text(page_html, encoding="utf-8")
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
                        f"--user-data-dir={tmp}/profile", f"--window-size={size}", f"--screenshot={target}",
                        src.as_uri()], check=True, capture_output=True, timeout=timeout)
    return target


def scanned_pdf(plan: Plan, target: Path) -> Path:
    """A scan: a picture of the first page of the plan, printed to PDF as an image only."""
    with tempfile.TemporaryDirectory() as tmp:
        png = screenshot(plan_html(plan), Path(tmp) / "page.png")
        page = (f'<!DOCTYPE html><html><head><style>body{{margin:0}} img{{width:100%}}</style></head>'
                f'<body><img src="{png.as_uri()}"></body></html>')
        # the image must still exist while Chromium prints
        return print_pdf(page, target)


def plan_docx(plan: Plan, target: Path) -> Path:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.styles["Normal"].font.size = Pt(12)
    for kind, value in plan_blocks(plan):
        if kind == "title":
            document.add_heading(value, level=0)
        elif kind == "heading":
            level, text = value
            document.add_heading(text, level=min(9, max(1, level + 1)))
        elif kind == "para":
            paragraph = document.add_paragraph(value)
            paragraph.paragraph_format.first_line_indent = Pt(24)
        else:
            rows = value
            width = max(len(r) for r in rows)
            table = document.add_table(rows=len(rows), cols=width)
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
    document.core_properties.title = plan.meta.title
    document.save(str(target))
    return target


GOV_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="SiteName" content="{city}人民政府门户网站">
<meta name="ColumnName" content="规划计划">
<meta name="ArticleTitle" content="{title}">
<title>{title}_规划计划_{city}人民政府门户网站</title>
<link rel="stylesheet" href="../css/common.css">
<script src="../js/jquery.min.js"></script>
</head>
<body>
<div class="top-bar"><div class="w1200"><span>欢迎访问{city}人民政府门户网站</span>
<a href="#">无障碍浏览</a> | <a href="#">长者模式</a> | <a href="#">English</a> | <a href="#">繁體</a></div></div>
<div class="header"><div class="w1200"><a class="logo" href="/">{city}人民政府</a>
<form class="search" action="/search"><input name="q" placeholder="请输入关键字"><button>搜索</button></form>
</div></div>
<div class="nav"><ul>
<li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li>
<li><a href="/hdjl/">互动交流</a></li><li><a href="/zjcs/">走进{short}</a></li><li><a href="/ztzl/">专题专栏</a></li>
</ul></div>
<div class="main w1200">
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt;
<a href="/zwgk/ghjh/">规划计划</a> &gt; 正文</div>
<div class="sidebar">
<h3>政务公开</h3>
<ul><li><a href="#">政府信息公开指南</a></li><li><a href="#">政府信息公开制度</a></li>
<li><a href="#">法定主动公开内容</a></li>
<li><a href="#">政府信息公开年报</a></li><li><a href="#">依申请公开</a></li><li><a href="#">规划计划</a></li></ul>
<h3>热点专题</h3>
<ul><li><a href="#">优化营商环境</a></li><li><a href="#">乡村振兴</a></li><li><a href="#">疫情防控</a></li></ul>
</div>
<div class="article">
<table class="xxgk-info"><tr><td>索引号：{index}</td><td>分类：卫生、体育\\规划</td></tr>
<tr><td>发布机构：{issuer}</td><td>发文日期：{date}</td></tr>
<tr><td>标题：{title}</td><td>文号：{number}</td></tr></table>
<div class="article-title"><h1>{title}</h1></div>
<div class="article-meta">发布时间：{date} 来源：{issuer} 浏览次数：<span id="views">1024</span>
字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a> <a href="javascript:window.print()">打印本页</a></div>
<div class="article-content" id="zoom">
{body}
</div>
<div class="attachments">附件：<a href="/files/plan.pdf">{title}.pdf</a></div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
</div>
<div class="related"><h3>相关文章</h3><ul>
<li><a href="#">{city}人民政府办公室关于印发{short}市深化医药卫生体制改革实施方案的通知</a><span>2022-05-12</span></li>
<li><a href="#">{city}卫生健康委员会2021年工作总结及2022年工作计划</a><span>2022-01-20</span></li>
<li><a href="#">{city}人民政府关于公布第一批市级非物质文化遗产代表性项目名录的通知</a><span>2021-11-03</span></li>
</ul></div>
</div>
<div class="footer"><div class="w1200">
<p><a href="#">网站地图</a> | <a href="#">联系我们</a> | <a href="#">使用帮助</a> | <a href="#">隐私声明</a></p>
<p>主办：{city}人民政府办公室　承办：{city}大数据发展局</p>
<p>网站标识码：4504000001　桂ICP备05000123号　桂公网安备 45040002000123号</p>
<p>建议使用1366×768分辨率、IE10以上版本浏览器</p>
</div></div>
<script>var _hmt = _hmt || []; (function() {{ var hm = document.createElement("script"); }})();</script>
</body>
</html>
"""


def gov_page(plan: Plan) -> str:
    m = plan.meta
    return GOV_TEMPLATE.format(city=m.city, short=m.city.removesuffix("市"), title=html.escape(m.title),
                               issuer=html.escape(m.issuer or f"{m.city}卫生健康委员会"), date=m.date or "2022-03-01",
                               number=html.escape(m.doc_number or ""), index="11450400MB1234567X/2022-00123",
                               body=_body_html(plan))
