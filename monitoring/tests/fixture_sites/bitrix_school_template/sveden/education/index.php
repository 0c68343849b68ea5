<!DOCTYPE html>
<html xml:lang="ru" lang="ru">
<head>
	<meta http-equiv="X-UA-Compatible" content="IE=edge" />
	<meta name="viewport" content="user-scalable=no, initial-scale=1.0, maximum-scale=1.0, width=device-width">
	<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
	<title>Образование</title>
	<link href="/bitrix/cache/css/s1/school/template_5c2f.css?17155" type="text/css" rel="stylesheet" />
	<script type="text/javascript">if(!window.BX)window.BX={message:function(mess){}};</script>
	<script type="text/javascript" src="/bitrix/js/main/core/core.min.js?1715584"></script>
</head>
<body class="bx-background-image">
<div id="panel"></div>
<div class="bx-wrapper" id="bx_eshop_wrap">
	<header class="bx-header">
		<div class="bx-logo"><a class="bx-logo-block" href="/"><img src="/include/logo.png" alt=""> МБОУ «Гимназия № 3»</a></div>
		<div class="bx-inc-orginfo"><span class="bx-inc-orginfo-phone"><i class="fa fa-phone"></i> 8 (86130) 4-27-15</span>
		<span class="bx-inc-orginfo-mail">gymn3@tim-edu.example.ru</span></div>
		<a class="special-version" href="?special_version=Y">Версия для слабовидящих</a>
		<div class="bx-top-nav">
			<ul class="bx-nav-list-1-lvl">
				<li class="bx-nav-1-lvl"><a href="/">Главная</a></li>
				<li class="bx-nav-1-lvl"><a href="/sveden/">Сведения об образовательной организации</a></li>
				<li class="bx-nav-1-lvl"><a href="/news/">Новости</a></li>
				<li class="bx-nav-1-lvl"><a href="/internet-priemnaya/">Интернет-приёмная</a></li>
				<li class="bx-nav-1-lvl"><a href="/faq/">Вопросы и ответы</a></li>
				<li class="bx-nav-1-lvl"><a href="/auth/?login=yes">Вход</a></li>
			</ul>
		</div>
	</header>
	<div class="workarea">
	<div class="container"><div class="row">
	<div class="col-md-3 sidebar">
		<div class="bx-sidebar-block"><ul class="left-menu">
			<li><a href="/sveden/common/">Основные сведения</a></li>
			<li><a href="/sveden/struct/">Структура и органы управления образовательной организацией</a></li>
			<li><a href="/sveden/dokument/">Документы</a></li>
			<li><a href="/sveden/education/">Образование</a></li>
			<li><a href="/sveden/edustandarts/">Образовательные стандарты и требования</a></li>
			<li><a href="/sveden/managers/">Руководство</a></li>
			<li><a href="/sveden/employees/">Педагогический состав</a></li>
			<li><a href="/sveden/objects/">Материально-техническое обеспечение и оснащенность образовательного процесса. Доступная среда</a></li>
			<li><a href="/sveden/grants/">Стипендии и меры поддержки обучающихся</a></li>
			<li><a href="/sveden/platnye-uslugi/">Платные образовательные услуги</a></li>
			<li><a href="/sveden/budget/">Финансово-хозяйственная деятельность</a></li>
			<li><a href="/sveden/vakantnye-mesta/">Вакантные места для приема (перевода) обучающихся</a></li>
			<li><a href="/sveden/inter/">Международное сотрудничество</a></li>
			<li><a href="/food/">Организация питания в образовательной организации</a></li>
		</ul></div>
	</div>
	<div class="col-md-9 bx-content">
		<div class="bx-breadcrumb"><div class="bx-breadcrumb-item"><a href="/" title="Главная"><span>Главная</span></a></div></div>
		<h1 id="pagetitle">Образование</h1>
<div class="bx-sveden" itemscope>

<h3>Реализуемые образовательные программы</h3>
<table class="sveden-table"><tr><th>Код</th><th>Наименование</th><th>Профессия</th><th>Уровень</th><th>Форма</th><th>Срок</th><th>Срок действия аккредитации</th><th>Практика</th></tr>
<tr itemprop="eduAccred"><td itemprop="eduCode">—</td><td itemprop="eduName">Основная образовательная программа начального общего образования</td>
  <td itemprop="eduProf">—</td><td itemprop="eduLevel">Начальное общее образование</td><td itemprop="eduForm">очная</td>
  <td itemprop="learningTerm">4 года</td><td itemprop="eduPred">бессрочно</td><td itemprop="eduPrac">не предусмотрена</td></tr>
<tr itemprop="eduAccred"><td itemprop="eduCode">—</td><td itemprop="eduName">Основная образовательная программа основного общего образования</td>
  <td itemprop="eduProf">—</td><td itemprop="eduLevel">Основное общее образование</td><td itemprop="eduForm">очная</td>
  <td itemprop="learningTerm">5 лет</td><td itemprop="eduPred">бессрочно</td><td itemprop="eduPrac">не предусмотрена</td></tr>
<tr itemprop="eduAccred"><td itemprop="eduCode">—</td><td itemprop="eduName">Основная образовательная программа среднего общего образования</td>
  <td itemprop="eduProf">—</td><td itemprop="eduLevel">Среднее общее образование</td><td itemprop="eduForm">очная</td>
  <td itemprop="learningTerm">2 года</td><td itemprop="eduPred">бессрочно</td><td itemprop="eduPrac">не предусмотрена</td></tr>
</table>
<p>Язык образования: <span itemprop="languageEl">русский</span></p>
<h3>Численность обучающихся</h3>
<div itemprop="eduChislenEl"><p>Общая численность обучающихся: 812 человек, из них за счёт бюджета субъекта РФ — 812, по договорам — 0.</p></div>
<div itemprop="eduPriemEl"><p>Результаты приёма: приём в 1 класс — 84 человек, в 10 класс — 24 человека.</p></div>
<div itemprop="eduPerevodEl"><p>Переведено в другие организации — 6, отчислено — 0, восстановлено — 0.</p></div>
<h3>Описание образовательных программ</h3>
<table class="sveden-table"><tr><th>Программа</th><th>ООП</th><th>Учебный план</th><th>Рабочие программы</th><th>КУГ</th><th>Воспитание</th><th>Методические документы</th></tr>
<tr itemprop="eduOp"><td itemprop="eduName">Основная образовательная программа начального общего образования</td>
  <td><a itemprop="opMain" href="/upload/op/1/oop.pdf">ООП</a></td>
  <td><a itemprop="educationPlan" href="/upload/op/1/plan.pdf">Учебный план</a></td>
  <td><a itemprop="educationRpd" href="/upload/op/1/rp.pdf">Рабочие программы</a></td>
  <td><a itemprop="educationShedule" href="/upload/op/1/kug.pdf">Календарный учебный график</a></td>
  <td><a itemprop="eduPr" href="/upload/op/1/rpv.pdf">Рабочая программа воспитания</a></td>
  <td><a itemprop="methodology" href="/upload/op/1/metod.pdf">Методические документы</a></td></tr>
<tr itemprop="eduOp"><td itemprop="eduName">Основная образовательная программа основного общего образования</td>
  <td><a itemprop="opMain" href="/upload/op/2/oop.pdf">ООП</a></td>
  <td><a itemprop="educationPlan" href="/upload/op/2/plan.pdf">Учебный план</a></td>
  <td><a itemprop="educationRpd" href="/upload/op/2/rp.pdf">Рабочие программы</a></td>
  <td><a itemprop="educationShedule" href="/upload/op/2/kug.pdf">Календарный учебный график</a></td>
  <td><a itemprop="eduPr" href="/upload/op/2/rpv.pdf">Рабочая программа воспитания</a></td>
  <td><a itemprop="methodology" href="/upload/op/2/metod.pdf">Методические документы</a></td></tr>
<tr itemprop="eduOp"><td itemprop="eduName">Основная образовательная программа среднего общего образования</td>
  <td><a itemprop="opMain" href="/upload/op/3/oop.pdf">ООП</a></td>
  <td><a itemprop="educationPlan" href="/upload/op/3/plan.pdf">Учебный план</a></td>
  <td><a itemprop="educationRpd" href="/upload/op/3/rp.pdf">Рабочие программы</a></td>
  <td><a itemprop="educationShedule" href="/upload/op/3/kug.pdf">Календарный учебный график</a></td>
  <td><a itemprop="eduPr" href="/upload/op/3/rpv.pdf">Рабочая программа воспитания</a></td>
  <td><a itemprop="methodology" href="/upload/op/3/metod.pdf">Методические документы</a></td></tr>
</table>
</div>
	</div>
	</div></div>
	</div>
	<footer class="bx-footer">
		<div class="bx-footer-line">Муниципальное бюджетное общеобразовательное учреждение «Гимназия № 3» муниципального образования Тимашевский район. 352700, Краснодарский край, г. Тимашевск, ул. Пионерская, д. 91</div>
		<div class="bx-footer-bottomline">© 2025 Все права защищены. Работает на «1С-Битрикс: Сайт школы»</div>
	</footer>
</div>
</body>
</html>
