<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="ru-ru" lang="ru-ru" >
<head>
  <meta http-equiv="content-type" content="text/html; charset=utf-8" />
  <meta name="robots" content="index, follow" />
  <meta name="keywords" content="школа, Сосновка, образование" />
  <meta name="description" content="Официальный сайт МБОУ «СОШ № 3» пос. Сосновка" />
  <meta name="generator" content="Joomla! 1.5 - Open Source Content Management" />
  <title>МБОУ «СОШ № 3» пос. Сосновка — Главная</title>
  <link href="/templates/rhuk_milkyway/favicon.ico" rel="shortcut icon" type="image/x-icon" />
  <script type="text/javascript" src="/media/system/js/mootools.js"></script>
  <script type="text/javascript" src="/media/system/js/caption.js"></script>

<link rel="stylesheet" href="/templates/system/css/system.css" type="text/css" />
<link rel="stylesheet" href="/templates/system/css/general.css" type="text/css" />
<link rel="stylesheet" href="/templates/rhuk_milkyway/css/template.css" type="text/css" />
<link rel="stylesheet" href="/templates/rhuk_milkyway/css/green.css" type="text/css" />
<link rel="stylesheet" href="/templates/rhuk_milkyway/css/green_bg.css" type="text/css" />
</head>
<body id="page_bg" class="color_green bg_green width_fmax">
<a name="up" id="up"></a>
<div class="center" align="center">
	<div id="wrapper">
		<div id="wrapper_r">
			<div id="header">
				<div id="header_l">
					<div id="header_r">
						<div id="logo"><img src="/images/stories/logo_school3.png" alt="" /> Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 3» посёлка Сосновка Сосновского района Тамбовской области</div>
						<div id="top-contacts">тел. 8 (47545) 2-13-57 &nbsp;|&nbsp; <a href="index.php?template=accessibility">Версия для слабовидящих</a></div>
					</div>
				</div>
			</div>
			<div id="tabarea">
				<div id="tabarea_l"><div id="tabarea_r"><div id="tabmenu">
					<table cellpadding="0" cellspacing="0" class="pill"><tr>
						<td class="pill_l">&nbsp;</td>
						<td class="pill_m"><div id="pillmenu">
						<ul id="mainlevel-nav"><li><a href="/" class="mainlevel-nav">Главная</a></li><li><a href="index.php?option=com_content&amp;view=article&amp;id=40&amp;Itemid=53" class="mainlevel-nav">Сведения</a></li><li><a href="index.php?option=com_contact&amp;view=contact&amp;id=1&amp;Itemid=72" class="mainlevel-nav">Контакты</a></li></ul>
						</div></td>
						<td class="pill_r">&nbsp;</td>
					</tr></table>
				</div></div></div>
			</div>
			<div id="search"></div>
			<div id="pathway"><span class="breadcrumbs pathway"><a href="/" class="pathway">Главная</a> <img src="/templates/rhuk_milkyway/images/arrow.png" alt="" /> МБОУ «СОШ № 3» пос. Сосновка — Главная</span></div>
			<div class="clr"></div>
			<div id="whitebox">
				<div id="whitebox_t"><div id="whitebox_tl"><div id="whitebox_tr"></div></div></div>
				<div id="whitebox_m">
					<div id="area">
						<div id="leftcolumn">
							<div class="module_menu"><div><div><div>
								<h3>Главное меню</h3>
<ul class="menu">
<li class="item1 active"><a href="/"><span>Главная</span></a></li>
<li class="parent item53"><a href="index.php?option=com_content&amp;view=article&amp;id=40&amp;Itemid=53"><span>Сведения об образовательной организации</span></a>
<ul>
<li class="item54"><a href="index.php?option=com_content&amp;view=article&amp;id=41&amp;Itemid=54"><span>Основные сведения</span></a></li>
<li class="item55"><a href="index.php?option=com_content&amp;view=article&amp;id=42&amp;Itemid=55"><span>Структура и органы управления образовательной организацией</span></a></li>
<li class="item56"><a href="index.php?option=com_content&amp;view=article&amp;id=43&amp;Itemid=56"><span>Документы</span></a></li>
<li class="item57"><a href="index.php?option=com_content&amp;view=article&amp;id=44&amp;Itemid=57"><span>Образование</span></a></li>
<li class="item58"><a href="index.php?option=com_content&amp;view=article&amp;id=45&amp;Itemid=58"><span>Образовательные стандарты и требования</span></a></li>
<li class="item59"><a href="index.php?option=com_content&amp;view=article&amp;id=46&amp;Itemid=59"><span>Руководство</span></a></li>
<li class="item60"><a href="index.php?option=com_content&amp;view=article&amp;id=47&amp;Itemid=60"><span>Педагогический состав</span></a></li>
<li class="item61"><a href="index.php?option=com_content&amp;view=article&amp;id=48&amp;Itemid=61"><span>Материально-техническое обеспечение и оснащенность образовательного процесса. Доступная среда</span></a></li>
<li class="item62"><a href="index.php?option=com_content&amp;view=article&amp;id=49&amp;Itemid=62"><span>Стипендии и меры поддержки обучающихся</span></a></li>
<li class="item63"><a href="index.php?option=com_content&amp;view=article&amp;id=50&amp;Itemid=63"><span>Платные образовательные услуги</span></a></li>
<li class="item64"><a href="index.php?option=com_content&amp;view=article&amp;id=51&amp;Itemid=64"><span>Финансово-хозяйственная деятельность</span></a></li>
<li class="item65"><a href="index.php?option=com_content&amp;view=article&amp;id=52&amp;Itemid=65"><span>Вакантные места для приема (перевода) обучающихся</span></a></li>
<li class="item66"><a href="index.php?option=com_content&amp;view=article&amp;id=58&amp;Itemid=66"><span>Международное сотрудничество</span></a></li>
</ul></li>
<li class="item2"><a href="index.php?option=com_content&amp;view=category&amp;layout=blog&amp;id=1&amp;Itemid=2"><span>Новости школы</span></a></li>
<li class="item67"><a href="index.php?option=com_content&amp;view=article&amp;id=59&amp;Itemid=67"><span>Родителям</span></a></li>
<li class="item68"><a href="index.php?option=com_content&amp;view=article&amp;id=62&amp;Itemid=68"><span>Выпускникам</span></a></li>
<li class="item70"><a href="index.php?option=com_content&amp;view=article&amp;id=60&amp;Itemid=70"><span>Школьное питание</span></a></li>
<li class="item71"><a href="index.php?option=com_content&amp;view=article&amp;id=61&amp;Itemid=71"><span>Обращения граждан</span></a></li>
<li class="item72"><a href="index.php?option=com_contact&amp;view=contact&amp;id=1&amp;Itemid=72"><span>Контакты</span></a></li>
</ul>
							</div></div></div></div>
							<div class="module"><div><div><div>
								<a href="https://bus.gov.ru/pub/info-card/187356" target="_blank"><img src="/images/banners/busgov.gif" alt="Официальный сайт для размещения информации о государственных (муниципальных) учреждениях" width="180" height="60" /></a>
							</div></div></div></div>
						</div>
						<div id="maincolumn">
							<table class="nopad"><tr valign="top"><td>

<div class="componentheading">Добро пожаловать на сайт нашей школы!</div>
<p>Средняя школа № 3 посёлка Сосновка работает с 1936 года. Сегодня в школе учатся 318 ребят, работают 23 педагога. В школе действуют центр «Точка роста», школьный спортивный клуб «Олимп», музей боевой славы и театральная студия.</p>
<table class="contentpaneopen"><tr><td class="contentheading" width="100%"><a href="index.php?option=com_content&amp;view=article&amp;id=70&amp;Itemid=2" class="contentpagetitle">Итоги муниципального этапа всероссийской олимпиады школьников</a></td></tr></table>
<table class="contentpaneopen"><tr><td valign="top" class="createdate">10.11.2024</td></tr><tr><td valign="top"><p>Семь обучающихся школы стали победителями и призёрами муниципального этапа олимпиады по биологии, истории, физической культуре и технологии. Поздравляем ребят и их наставников!</p></td></tr></table>
<span class="article_separator">&nbsp;</span>
<table class="contentpaneopen"><tr><td class="contentheading" width="100%"><a href="index.php?option=com_content&amp;view=article&amp;id=71&amp;Itemid=2" class="contentpagetitle">«Разговоры о важном»: День народного единства</a></td></tr></table>
<table class="contentpaneopen"><tr><td valign="top" class="createdate">11.11.2024</td></tr><tr><td valign="top"><p>В понедельник классные руководители провели занятия, посвящённые Дню народного единства. Ученики 8 класса подготовили презентацию об истории праздника.</p></td></tr></table>
<span class="article_separator">&nbsp;</span>
<table class="contentpaneopen"><tr><td class="contentheading" width="100%"><a href="index.php?option=com_content&amp;view=article&amp;id=72&amp;Itemid=2" class="contentpagetitle">Школьный этап соревнований по волейболу</a></td></tr></table>
<table class="contentpaneopen"><tr><td valign="top" class="createdate">12.11.2024</td></tr><tr><td valign="top"><p>В спортивном зале прошёл школьный этап соревнований по волейболу среди команд 7–11 классов. Первое место заняла команда 10 класса.</p></td></tr></table>
<span class="article_separator">&nbsp;</span>
<table class="contentpaneopen"><tr><td class="contentheading" width="100%"><a href="index.php?option=com_content&amp;view=article&amp;id=73&amp;Itemid=2" class="contentpagetitle">Родительское собрание по вопросам ГИА-2025</a></td></tr></table>
<table class="contentpaneopen"><tr><td valign="top" class="createdate">13.11.2024</td></tr><tr><td valign="top"><p>15 ноября в 17:30 в актовом зале состоится собрание для родителей выпускников 9 и 11 классов. Приглашаются все желающие.</p></td></tr></table>
<span class="article_separator">&nbsp;</span>

							</td></tr></table>
						</div>
						<div class="clr"></div>
					</div>
				</div>
				<div id="whitebox_b"><div id="whitebox_bl"><div id="whitebox_br"></div></div></div>
			</div>
			<div id="footerspacer"></div>
		</div>
		<div id="footer"><div id="footer_l"><div id="footer_r">
			<p id="syndicate"></p>
			<p id="power_by">Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 3» посёлка Сосновка Сосновского района Тамбовской области<br />393840, Тамбовская область, Сосновский район, пос. Сосновка, ул. Советская, д. 41<br />Электронная почта: sosh3-sosnovka@tmb-edu.example.ru</p>
		</div></div></div>
	</div>
</div>
</body>
</html>
